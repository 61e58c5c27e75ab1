/**
 * The packaged Perpetuo in a real VS Code 1.139.1 (code-server), opened in headless Chromium and
 * driven the way a user drives it: command palette, quick picks, the password box, the Chat view,
 * the model picker. Shared by test/ui/*.test.ts and scripts/ui-screenshots.mjs.
 *
 * Setup: `node scripts/package.mjs` builds perpetuo-<version>.vsix, which is installed with
 * `--install-extension` into a throw-away profile (removed by `close()`); the profile's
 * settings point every provider at a fake upstream on 127.0.0.1 and turn the live catalog
 * refresh off, so nothing leaves this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

export const REPO_ROOT = join(__dirname, '..', '..');

/** Generous: the first workbench load compiles a lot of JavaScript on a small machine. */
export const LONG_WAIT = 90_000;
const STEP_WAIT = 30_000;

interface Profile {
  dir: string;
  config: string;
  userData: string;
  extensions: string;
  workspace: string;
}

interface CodeServer {
  url: string;
  stop(): void;
  output(): string;
}

/** The parts of scripts/vscode-host/vscode-host.mjs used here (a plain .mjs, so typed by hand). */
interface VscodeHost {
  ensureTools(): void;
  makeProfile(prefix?: string): Profile;
  codeServerCli(profile: Profile, args: string[]): string;
  startCodeServer(profile: Profile, options?: { port?: number; extraArgs?: string[]; env?: Record<string, string>; logFile?: string }): Promise<CodeServer>;
  launchChromium(): Promise<Browser>;
}

async function loadHost(): Promise<VscodeHost> {
  // A computed specifier: TypeScript does not try to type the .mjs, the interface above does.
  const specifier = pathToFileURL(join(REPO_ROOT, 'scripts/vscode-host/vscode-host.mjs')).href;
  return (await import(specifier)) as VscodeHost;
}

export interface WorkbenchOptions {
  /** Extra User settings (merged over the defaults below). */
  settings?: (upstreamUrl: string) => Record<string, unknown>;
  /** Files to create in the workspace folder, by relative path: text, or bytes (images, PDFs). */
  files?: Record<string, string | Uint8Array>;
  viewport?: { width: number; height: number };
  /** Build the .vsix first (default true). */
  packageExtension?: boolean;
}

export interface PerpetuoWorkbench {
  page: Page;
  browser: Browser;
  upstream: FakeUpstream;
  profile: Profile;
  server: CodeServer;
  vsix: string;
  settingsFile: string;
  close(): Promise<void>;
}

/** Builds and installs the .vsix, starts the fake upstream and code-server, opens the workbench. */
export async function openPerpetuoWorkbench(options: WorkbenchOptions = {}): Promise<PerpetuoWorkbench> {
  const host = await loadHost();
  host.ensureTools();
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = join(REPO_ROOT, `perpetuo-${version}.vsix`);
  if (options.packageExtension !== false) {
    const packaged = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/package.mjs')], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (packaged.status !== 0) {
      throw new Error(`node scripts/package.mjs failed (${packaged.status}):\n${packaged.stdout}\n${packaged.stderr}`);
    }
  }
  const profile = host.makeProfile('perpetuo-ui-');
  const cleanups: Array<() => unknown> = [() => rmSync(profile.dir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch {
        // best effort: keep tearing down the rest
      }
    }
  };
  try {
    const installed = host.codeServerCli(profile, ['--install-extension', vsix]);
    if (!/perpetuo/i.test(installed)) {
      throw new Error(`--install-extension did not report Perpetuo: ${installed}`);
    }
    const upstream = await startFakeUpstream();
    cleanups.push(() => upstream.close());
    const settingsFile = join(profile.userData, 'User', 'settings.json');
    const settings = {
      ...(JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>),
      // Tests talk only to 127.0.0.1: no live catalog refresh from openrouter.ai.
      'perpetuo.catalog.liveRefresh': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'editor.lightbulb.enabled': 'on',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.ignoreRecommendations': true,
      ...options.settings?.(upstream.url),
    };
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    for (const [file, content] of Object.entries(options.files ?? {})) {
      mkdirSync(join(profile.workspace, file, '..'), { recursive: true });
      writeFileSync(join(profile.workspace, file), content);
    }
    const server = await host.startCodeServer(profile);
    cleanups.push(() => server.stop());
    const browser = await host.launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: LONG_WAIT });
    // The status bar item appears when activate() has run: the extension is live from here on.
    await perpetuoStatusItem(page)
      .waitFor({ timeout: LONG_WAIT })
      .catch(async (error: unknown) => {
        const items = await page.locator('.statusbar-item').evaluateAll((els) => els.map((e) => `${e.id}: ${(e as HTMLElement).innerText}`));
        throw new Error(`Perpetuo's status bar item never appeared (activation failed?). Status bar: ${items.join(' | ')}\n${String(error)}`);
      });
    return { page, browser, upstream, profile, server, vsix, settingsFile, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * F1 → type the command's title → Enter, once the palette lists it. The palette does not update
 * while open, so a command registered a moment later (activation) needs it opened again.
 */
export async function runCommand(page: Page, title: string, timeout = LONG_WAIT): Promise<void> {
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (;;) {
    await closeQuickInput(page);
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: STEP_WAIT });
    await input.fill(`>${title}`);
    const listed = await quickPickRow(page, title)
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (listed) {
      await input.press('Enter');
      return;
    }
    if (Date.now() > deadline) {
      const shown = await page.locator('.quick-input-widget .quick-input-list').innerText().catch(() => '');
      throw new Error(`the command palette never listed "${title}" within ${timeout / 1000} s; it showed:\n${shown}`);
    }
  }
}

/**
 * Runs a command that only shows something (a notification, say) until `shown` is visible. Enter in
 * the palette can land while its list is being redrawn, so that once in a while the command never
 * runs (seen in CI for "List Provider Keys"); a command without side effects can simply run again.
 */
export async function runCommandUntilShown(page: Page, title: string, shown: Locator, timeout = LONG_WAIT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title, Math.max(deadline - Date.now(), STEP_WAIT));
    const visible = await shown
      .waitFor({ timeout: Math.min(15_000, Math.max(deadline - Date.now(), 1)) })
      .then(() => true)
      .catch(() => false);
    if (visible) {
      return;
    }
    if (Date.now() >= deadline) {
      throw new Error(`"${title}" was run ${attempt} times and never showed ${String(shown)} within ${timeout / 1000} s`);
    }
    console.log(`      "${title}" showed nothing within 15 s (attempt ${attempt}); running it again`);
  }
}

/** The Perpetuo status bar item (there from activation on: "Perpetuo", later "$x today"). */
export function perpetuoStatusItem(page: Page): Locator {
  return page.locator('.statusbar-item[id="perpetuo.perpetuo.perpetuo.status"], .statusbar-item[id$="perpetuo.status"]').first();
}

/** A row of the open quick pick whose label is exactly `label`. */
export function quickPickRow(page: Page, label: string): Locator {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) });
}

/** Waits for the quick pick titled `title` and picks `label` in it (by typing it, then Enter). */
export async function pickQuickItem(page: Page, title: string | RegExp, label: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: STEP_WAIT });
  const input = widget.locator('.quick-input-box input');
  await input.fill(label);
  await quickPickRow(page, label).first().waitFor({ timeout: STEP_WAIT });
  await input.press('Enter');
}

/** Types into the input box titled `title` (a password box when `password`) and presses Enter. */
export async function answerInputBox(page: Page, title: string | RegExp, text: string, { password = false } = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: STEP_WAIT });
  const input = widget.locator('.quick-input-box input');
  if (password && (await input.getAttribute('type')) !== 'password') {
    throw new Error(`the input box "${String(title)}" is not a password box`);
  }
  await input.fill(text);
  await input.press('Enter');
}

export async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator('.quick-input-widget').isVisible()) {
    await page.keyboard.press('Escape');
  }
}

/** A notification toast containing `text`. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** Adds a key the way a user does: palette → Manage Provider Keys → Add or replace → provider → password box. */
export async function addKeyThroughUi(page: Page, providerLabel: string, providerId: string, key: string): Promise<void> {
  await runCommand(page, 'Perpetuo: Manage Provider Keys');
  await pickQuickItem(page, 'Perpetuo: Provider Keys', 'Add or replace a key');
  await pickQuickItem(page, 'Add a key for which provider?', providerLabel);
  await answerInputBox(page, `API key for ${providerId}`, key, { password: true });
  await notification(page, `Saved the ${providerId} key`).first().waitFor({ timeout: STEP_WAIT });
}

/** The Chat view's input part (the view is open by default in the secondary side bar). */
export async function chatInput(page: Page): Promise<Locator> {
  const part = page.locator('.interactive-input-part').first();
  if (!(await part.isVisible())) {
    await runCommand(page, 'Chat: Open Chat');
  }
  await part.waitFor({ timeout: LONG_WAIT });
  return part;
}

/** The text of the whole chat transcript (for assertions and failure messages). */
export async function chatTranscript(page: Page): Promise<string> {
  const list = page.locator('.interactive-list').first();
  // A hidden element's innerText is its textContent, style sheets included: say so instead.
  if (!(await list.isVisible().catch(() => false))) {
    return '(no chat transcript showing)';
  }
  return list.innerText({ timeout: 5_000 }).catch((error: unknown) => `(no transcript: ${String(error)})`);
}

/** The chat model picker's button in the Chat view's input toolbar. */
export async function chatModelPicker(page: Page): Promise<Locator> {
  return (await chatInput(page)).locator('.action-label.model-picker-split').first();
}

/**
 * Opens the chat model picker, types `search` in its filter and picks the row whose title matches
 * `title` (default: exactly `search`). Resolves once the picker shows the picked model. An open
 * picker does not take in models announced after it opened (a key added a moment ago), so it is
 * opened again until the row is there or `timeout` has passed.
 */
export async function pickChatModel(page: Page, search: string, title = new RegExp(`^${escapeRegExp(search)}$`), timeout = LONG_WAIT): Promise<string> {
  const picker = await chatModelPicker(page);
  const filter = page.locator('.action-widget .action-list-filter-input');
  const row = page
    .locator('.action-widget .monaco-list-row.action')
    .filter({ has: page.locator('.title', { hasText: title }) })
    .first();
  const deadline = Date.now() + timeout;
  let name: string;
  for (;;) {
    await picker.click({ timeout: STEP_WAIT });
    await filter.waitFor({ timeout: STEP_WAIT });
    await filter.fill(search);
    const offered = await row
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    if (offered) {
      name = (await row.locator('.title').innerText({ timeout: STEP_WAIT })).trim();
      await row.click({ timeout: STEP_WAIT });
      break;
    }
    const listed = await page.locator('.action-widget').first().innerText().catch(() => '(no picker)');
    await page.keyboard.press('Escape');
    await filter.waitFor({ state: 'hidden', timeout: STEP_WAIT }).catch(() => undefined);
    if (Date.now() > deadline) {
      throw new Error(`the model picker did not offer ${String(title)} for "${search}" within ${timeout / 1000} s; it listed:\n${listed}`);
    }
  }
  await page.waitForFunction(
    ([selector, wanted]) => document.querySelector(selector)?.getAttribute('aria-label')?.includes(wanted) ?? false,
    ['.interactive-input-part .action-label.model-picker-split', name] as const,
    { timeout: STEP_WAIT },
  );
  return name;
}

/** Types a prompt in the Chat view as a user would, and sends it with Enter. */
export async function sendChatPrompt(page: Page, prompt: string): Promise<void> {
  const part = await chatInput(page);
  const sent = (): Promise<number> => chatTranscript(page).then((text) => text.split(prompt).length - 1);
  const before = await sent();
  for (let attempt = 1; ; attempt++) {
    await part.locator('.interactive-input-editor .monaco-editor').first().click();
    // Clear what a sticky participant, an earlier draft or a wrongly accepted suggestion left, then type.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(prompt, { delay: 15 });
    // Let the suggest widget for `@`/`/` settle, and close it so Enter sends rather than accepts.
    const suggest = page.locator('.interactive-input-part .suggest-widget.visible, .monaco-workbench .suggest-widget.visible');
    if (await suggest.isVisible()) {
      await page.keyboard.press('Escape');
    }
    await page.keyboard.press('Enter');
    // Sent: the request shows in the transcript. On a busy machine the widget can open after the
    // check above and take the Enter (accepting a suggestion instead of sending): type it again.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if ((await sent()) > before) {
        return;
      }
      await page.waitForTimeout(200);
    }
    if (attempt === 3) {
      throw new Error(`the chat did not send '${prompt}' in 3 tries. Transcript:\n${await chatTranscript(page)}`);
    }
  }
}

/** Numbered screenshots of one test file, in a folder of its own under the temp dir; each path is printed. */
export function createScreenshots(label: string, page: () => Page): (name: string) => Promise<void> {
  let folder: string | undefined;
  let count = 0;
  return async (name) => {
    // In the checkout (git-ignored), replaced by the next run: not a new folder in /tmp every run.
    if (folder === undefined) {
      folder = join(REPO_ROOT, 'test-results', 'screenshots', label);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
    }
    const file = join(folder, `${String(++count).padStart(2, '0')}-${name}.png`);
    await page()
      .screenshot({ path: file })
      .catch(() => undefined);
    console.log(`      screenshot: ${file}`);
  };
}

/** What a failed UI test leaves in the log: a screenshot, the notifications showing, and the chat transcript. */
export async function reportUiFailure(page: Page, shot: (name: string) => Promise<void>, title: string): Promise<void> {
  await shot(`failed-${title.slice(0, 40).replace(/\W+/g, '-')}`);
  const notifications = await page
    .locator('.notifications-toasts')
    .innerText()
    .catch(() => '');
  if (notifications.trim() !== '') {
    console.log(`      notifications at failure: ${notifications}`);
  }
  console.log(`      chat transcript at failure:\n${await chatTranscript(page)}`);
}

/** Waits until the transcript contains every pattern; the error shows the transcript when not. */
export async function waitForTranscript(page: Page, patterns: Array<string | RegExp>, timeout = LONG_WAIT): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await chatTranscript(page);
    if (patterns.every((p) => (typeof p === 'string' ? text.includes(p) : p.test(text)))) {
      return text;
    }
    await page.waitForTimeout(250);
  }
  const missing = patterns.filter((p) => !(typeof p === 'string' ? text.includes(p) : p.test(text)));
  throw new Error(`the chat transcript never showed ${missing.map(String).join(', ')} within ${timeout / 1000} s. Transcript:\n${text}`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Attaches a workspace file the way a user does in 1.139.1: the input's "Add Context..." button →
 * the file search → the file's row. Resolves once the input shows its attachment chip. (Typing
 * `#file:name` gives no completions in code-server without Copilot's context providers.)
 */
export async function attachWorkspaceFile(page: Page, fileName: string): Promise<void> {
  const part = await chatInput(page);
  await closeQuickInput(page);
  await part.locator('.action-label.codicon-add-compact').first().click({ timeout: STEP_WAIT });
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await quickPickRow(page, 'Files & Folders...').first().waitFor({ timeout: STEP_WAIT });
  await input.fill(fileName);
  const row = quickPickRow(page, fileName).first();
  await row.waitFor({ timeout: STEP_WAIT }).catch(async (error: unknown) => {
    const shown = await page.locator('.quick-input-widget .quick-input-list').innerText().catch(() => '');
    throw new Error(`"Add Context..." never offered ${fileName}; it showed:\n${shown}\n${String(error)}`);
  });
  await row.click();
  await part.locator(`.chat-attached-context-attachment[aria-label*="${fileName}"]`).first().waitFor({ timeout: STEP_WAIT });
}

/** The names the Chat input shows as attached (the chips' aria-labels, e.g. "Attached image, diagram.png"). */
export async function chatAttachments(page: Page): Promise<string[]> {
  const part = await chatInput(page);
  return part.locator('.chat-attached-context-attachment').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('aria-label') ?? ''));
}

/** The open modal dialog (`showWarningMessage(…, { modal: true })`) whose message matches `text`. */
export function modalDialog(page: Page, text: string | RegExp): Locator {
  return page.locator('.monaco-dialog-box', { hasText: text });
}

/** Every file under `dir` (none when it does not exist), for scanning a profile for planted keys. */
export function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}
