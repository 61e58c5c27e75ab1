import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import type { DashboardTheme, HostToWebview, WebviewToHost } from '../../src/shared/webview-protocol';
import { DashboardController } from '../../src/vscode/dashboard/dashboard-controller';
import type { DashboardDataSource } from '../../src/vscode/dashboard/dashboard-data-source';

const ROOT = join(__dirname, '..', '..');

/** The flags the browser tests run Debian's Chromium with (no sandbox in containers, no network chatter). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * Serves the built dashboard (dist/webview) and a page that mirrors the panel's HTML in
 * src/vscode/register-dashboard.ts: the same CSP with a fresh nonce per page, the stylesheet
 * link, the nonce'd script. The fake VS Code API is one more nonce'd script, and the theme
 * variables VS Code would inject come from a stylesheet, both from the same origin.
 */
export async function startDashboardServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const files: Record<string, { path: string; type: string }> = {
    '/dist/main.js': { path: join(ROOT, 'dist', 'webview', 'main.js'), type: 'text/javascript' },
    '/dist/main.css': { path: join(ROOT, 'dist', 'webview', 'main.css'), type: 'text/css' },
    '/fake-vscode-api.js': { path: join(__dirname, 'fake-vscode-api.js'), type: 'text/javascript' },
    '/vscode-theme.css': { path: join(__dirname, 'vscode-theme.css'), type: 'text/css' },
  };
  // Read once: the bundle must exist before the suite starts, and a rebuild mid-run changes nothing.
  const contents = new Map<string, Buffer>();
  for (const [route, file] of Object.entries(files)) {
    if (!existsSync(file.path)) throw new Error(`${file.path} is missing: run \`node esbuild.mjs\` before the browser tests`);
    contents.set(route, readFileSync(file.path));
  }
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = files[url.pathname];
    if (file) {
      response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      response.end(contents.get(url.pathname));
      return;
    }
    if (url.pathname === '/') {
      const theme = url.searchParams.get('theme') ?? 'vscode-dark';
      const nonce = randomBytes(16).toString('base64');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/vscode-theme.css">
<link rel="stylesheet" href="${origin}/dist/main.css">
<title>Perpetuo Dashboard</title>
</head>
<body class="${theme}" data-vscode-theme-kind="${theme}">
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/fake-vscode-api.js"></script>
<script nonce="${nonce}" src="${origin}/dist/main.js"></script>
</body>
</html>`);
      return;
    }
    // favicon.ico and anything else: no content, as a webview has none either.
    response.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A dashboard page wired to a real DashboardController over a test data source. */
export interface DashboardPage {
  page: Page;
  controller: DashboardController;
  /** Every message the webview sent, in order. */
  sent: WebviewToHost[];
  /** Every message the host posted, in order. */
  posted: HostToWebview[];
  /** CSP violations, page errors and console errors: each test expects none. */
  problems: string[];
  /** Resolves once every message so far has been answered and delivered. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function openDashboard(
  browser: Browser,
  origin: string,
  source: DashboardDataSource,
  options: { theme?: 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast'; viewport?: { width: number; height: number } } = {},
): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const sent: WebviewToHost[] = [];
  const posted: HostToWebview[] = [];
  const problems: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };
  const theme: DashboardTheme = options.theme === 'vscode-light' ? 'light' : options.theme === 'vscode-high-contrast' ? 'high-contrast' : 'dark';
  const controller = new DashboardController(
    (message) => {
      posted.push(message);
      // Structured clone, as VS Code's postMessage does.
      track(page.evaluate((m) => window.postMessage(m, '*'), structuredClone(message)).catch(() => undefined));
    },
    source,
    { version: '0.1.0-test', theme: () => theme, warn: (message) => problems.push(`host warning: ${message}`) },
  );
  await page.exposeBinding('__perpetuoHostReceive', (_source, message: unknown) => {
    sent.push(message as WebviewToHost);
    track(controller.handle(message));
  });
  await page.exposeBinding('__perpetuoViolation', (_source, text: string) => {
    problems.push(`CSP: ${text}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${origin}/?theme=${options.theme ?? 'vscode-dark'}`);
  const settle = async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
  return { page, controller, sent, posted, problems, settle, close: () => context.close() };
}
