// `npm run package`: a production build, then perpetuo-<version>.vsix with its size.
// Dependencies are bundled by esbuild, so the .vsix carries no node_modules.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `perpetuo-${version}.vsix`);
// --no-rewrite-relative-links: the README links to BENCHMARKS.md and docs/screenshots/*.png by
// relative path; with no repository URL vsce would refuse to package rather than keep them as they are.
const vsce = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], {
  cwd: root,
  encoding: 'utf8',
});
if (vsce.status !== 0) {
  console.error(vsce.stdout, vsce.stderr);
  console.error('vsce could not package the extension (see above)');
  process.exit(1);
}
const bytes = statSync(out).size;
const kib = (path) => `${(statSync(join(root, path)).size / 1024).toFixed(1)} KiB`;
console.log(`${out.slice(root.length + 1)}: ${(bytes / 1024).toFixed(1)} KiB (activation bundle ${kib('dist/extension.js')}, on-demand bundle ${kib('dist/on-demand.js')})`);
