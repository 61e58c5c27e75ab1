// `npm start`: a real VS Code (code-server 4.139.1 = VS Code 1.139.1) with Perpetuo installed.
// Builds the .vsix, installs it into a code-server profile kept under the tools cache, opens a
// workspace folder, starts the server on 127.0.0.1 and prints the URL. Ctrl-C stops everything
// it started. PERPETUO_PORT picks the port (default 8080, or a free one when 8080 is taken).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerCli, ensureTools, freePort, repoRoot, startCodeServer, tools } from './vscode-host/vscode-host.mjs';

ensureTools();

const packaged = spawnSync(process.execPath, [join(repoRoot, 'scripts/package.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (packaged.status !== 0) {
  process.exit(packaged.status ?? 1);
}
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const vsix = join(repoRoot, `perpetuo-${version}.vsix`);

// A persistent profile, so keys added through the UI (SecretStorage) survive restarts.
const base = join(tools, 'start-profile');
const profile = {
  dir: base,
  config: join(base, 'config.yaml'),
  userData: join(base, 'user-data'),
  extensions: join(base, 'extensions'),
  workspace: join(base, 'workspace'),
};
mkdirSync(profile.workspace, { recursive: true });
mkdirSync(join(profile.userData, 'User'), { recursive: true });
writeFileSync(profile.config, 'auth: none\ncert: false\n');
const readme = join(profile.workspace, 'README.md');
if (!existsSync(readme)) {
  writeFileSync(
    readme,
    '# Perpetuo playground\n\nOpen the Chat view and type `@perpetuo`, or pick a Perpetuo model in the model picker.\n' +
      'Add a provider key with the command **Perpetuo: Manage Provider Keys**.\n',
  );
}
console.log(codeServerCli(profile, ['--install-extension', vsix, '--force']).trim());

const wanted = Number(process.env.PERPETUO_PORT || 8080);
const port = (await isFree(wanted)) ? wanted : await freePort();
const server = await startCodeServer(profile, { port });
const url = `${server.url}/?folder=${encodeURIComponent(profile.workspace)}`;
console.log(`\nPerpetuo ${version} is running in VS Code 1.139.1:\n\n    ${url}\n\nOpen it in a browser. Ctrl-C stops it.`);

const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  console.log(`code-server exited (${code})`);
  process.exit(code ?? 1);
});

function isFree(candidate) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
