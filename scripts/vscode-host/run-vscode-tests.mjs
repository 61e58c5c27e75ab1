// Runs the integration suite (test/vscode, built to out/test/vscode) inside the extension host of
// a real VS Code 1.139.1 (code-server), headless, and exits with the suite's code.
//
//   node scripts/vscode-host/run-vscode-tests.mjs [--extension <dir>] [--tests <out dir index.js>]
//        [--env KEY=VALUE ...] [--timeout 300] [--screenshot file.png] [--quiet]
//
// How: code-server starts with `--vscode-option enable-smoke-test-driver` (without it the built web
// workbench ignores the URL payload). Headless Chromium opens the workbench with
// ?payload=[["extensionDevelopmentPath",…],["extensionTestsPath",…],["extensionEnvironment",…]]; the
// workbench starts the Node extension host, which loads the extension under development and calls
// the tests module's run(). When run() settles the workbench calls window.codeAutomationExit(code),
// which Playwright exposes to us. The extension host's console (mocha's output) arrives as workbench
// console lines. Exit codes: the suite's (0/1); 2 timeout; 3 infrastructure.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { ensureTools, launchChromium, makeProfile, repoRoot, startCodeServer } from './vscode-host.mjs';

const options = { extension: repoRoot, tests: join(repoRoot, 'out/test/vscode/index.js'), env: {}, timeout: 300, quiet: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const value = () => argv[++i];
  switch (argv[i]) {
    case '--extension': options.extension = resolve(value()); break;
    case '--tests': options.tests = resolve(value()); break;
    case '--env': { const kv = value(); const at = kv.indexOf('='); options.env[kv.slice(0, at)] = kv.slice(at + 1); break; }
    case '--timeout': options.timeout = Number(value()); break;
    case '--screenshot': options.screenshot = resolve(value()); break;
    case '--quiet': options.quiet = true; break;
    default: console.error(`unknown argument ${argv[i]}`); process.exit(3);
  }
}

// Workbench chatter that is not the suite's: dropped from the output.
const noise = /^\[(ChatModelSelection|Service Worker|reconnection-grace-time|AgentHost[^\]]*|AccountPolicyGate)\]|^(Resolving|Resolved) connection token|^Creating a socket|additional builtin extensions|Failed to load resource|open-vsx|same-origin iframe|allow-scripts and allow-same-origin|ENOTFOUND|Sign in|copilot/i;
// VS Code's own language detection fails to load its model in the web workbench (a browser-side `require`); not ours.
const workbenchOwnErrors = /vscode-languagedetection/;

function formatConsoleArgs(args) {
  if (typeof args[0] === 'string' && args[0].includes('%c')) {
    const styles = (args[0].match(/%c/g) || []).length;
    const prefix = args[0].replace(/%c/g, '').trim();
    const rest = args.slice(1 + styles);
    return { prefix, text: rest.length ? format(...rest) : '' };
  }
  return { prefix: '', text: format(...args) };
}

let stopServer = () => {};
async function main() {
  ensureTools();
  const started = Date.now();
  const profile = makeProfile();
  const server = await startCodeServer(profile, { extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], env: options.env, logFile: join(profile.dir, 'code-server.log') });
  stopServer = server.stop;
  const authority = `127.0.0.1:${server.port}`;
  const remote = (path) => `vscode-remote://${authority}${encodeURI(path)}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extension)],
    ['extensionTestsPath', remote(options.tests)],
    ['extensionEnvironment', JSON.stringify(options.env)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await launchChromium();
  let code;
  const counts = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', async (message) => {
      let args;
      try {
        args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => String(a))));
      } catch {
        args = [message.text()];
      }
      const formatted = formatConsoleArgs(args.length ? args : [message.text()]);
      const prefix = formatted.prefix;
      // The workbench appends its own minified stack to errors it relays; the first line is the message.
      const text = formatted.text.includes('workbench.js:') ? formatted.text.split('\n')[0] : formatted.text;
      if (noise.test(text) || workbenchOwnErrors.test(formatted.text)) return;
      if (!options.quiet && (prefix === 'INFO' || prefix === 'WARN' || prefix === 'ERR' || !prefix)) console.log(text);
      const summary = /^\s*(\d+) (passing|failing|pending)\b/.exec(text);
      if (summary) counts[summary[2]] = Number(summary[1]);
    });
    const exited = new Promise((resolveExit) => page.exposeFunction('codeAutomationExit', (c) => resolveExit(c)));
    await page.goto(url);
    code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), options.timeout * 1000))]);
    if (options.screenshot) await page.screenshot({ path: options.screenshot }).catch(() => {});
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
  console.log(`vscode: ${counts.passing ?? 0} passed, ${counts.failing ?? 0} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
  if (code === 'timeout') {
    console.log(`[vscode-host] TIMEOUT after ${options.timeout} s`);
    process.exitCode = 2;
  } else {
    console.log(`[vscode-host] extension tests exited with ${code} after ${Date.now() - started} ms`);
    process.exitCode = code;
  }
  await new Promise((r) => setTimeout(r, 500)); // let code-server's group exit before removing its profile
  // The extension host may still be writing while it deactivates (its drain settles budgets and
  // releases their leases): retry on ENOTEMPTY, and never fail a run for its clean-up.
  try {
    rmSync(profile.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (error) {
    console.log(`[vscode-host] the test profile ${profile.dir} was not removed: ${error.message}`);
  }
}

main()
  .catch((error) => {
    console.error(`[vscode-host] ${error.stack || error}`);
    process.exitCode = 3;
  })
  .finally(() => {
    stopServer();
    process.exit(process.exitCode ?? 3);
  });
