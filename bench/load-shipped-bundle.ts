import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeOptions } from '../scripts/bundle-options.mjs';

/**
 * Source modules as the extension and `perpetuo serve` run them: one esbuild bundle, built with the
 * options of `dist/` (scripts/bundle-options.mjs, production), with the catalog JSON beside it as
 * in `dist/`. A bench that imported them from source would run them through tsx, which transforms
 * with esbuild's keepNames (a helper call for every function object made, per request in a hot
 * path) and routes each cross-module call through a getter of its module shim: costs of the
 * loader, which no user pays. One bundle per bench, so each module (and its caches) exists once.
 * @param name names the temporary folder, removed when the process exits.
 * @param exports lines such as `export { planRoute } from './src/core/routing/plan-route';`,
 * resolved from the repository root.
 */
export async function loadShippedBundle<T>(name: string, exports: readonly string[]): Promise<T> {
  const root = join(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), `perpetuo-${name}-bench-`));
  // Loaded modules stay in memory; the catalog may be read later, so the folder goes at exit.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, `${name}.cjs`);
  await build({ ...nodeOptions({ production: true }), stdin: { contents: exports.join('\n'), resolveDir: root, loader: 'ts' }, outfile, logLevel: 'silent' });
  copyFileSync(join(root, 'src/core/catalog/bundled-catalog.json'), join(dir, 'bundled-catalog.json'));
  return createRequire(__filename)(outfile) as T;
}
