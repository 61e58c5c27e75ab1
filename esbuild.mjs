// Builds Perpetuo's bundles:
//   dist/extension.js   the extension (node, cjs, `vscode` external)
//   dist/cli.js         `perpetuo serve`, the headless endpoint (node, cjs)
//   dist/webview/*      the dashboard UI (browser)
//   out/test/vscode/*   the integration suite run inside VS Code (only with --tests)
// `--production` minifies and drops source maps (the .vsix ships none); `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // undici and eventsource-parser are ESM-first; bundle them so the .vsix needs no node_modules.
  mainFields: ['module', 'main'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: { main: 'webview-ui/src/main.ts' }, outdir: 'dist/webview' },
];
if (existsSync('src/server/cli.ts')) {
  builds.push({ ...node, entryPoints: { cli: 'src/server/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } });
}
if (withTests) {
  const dir = 'test/vscode';
  const entryPoints = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
  builds.push({ ...node, minify: false, sourcemap: 'inline', entryPoints, outdir: 'out/test/vscode', external: ['vscode', 'mocha'] });
}

if (!watch) {
  rmSync('dist', { recursive: true, force: true });
  if (withTests) {
    rmSync('out', { recursive: true, force: true });
  }
}

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`[esbuild] built ${builds.length} bundles${production ? ' (production)' : ''}`);
}
