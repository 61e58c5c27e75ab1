// Builds Perpetuo's bundles:
//   dist/extension.js   the extension as activation needs it (node, cjs, `vscode` external)
//   dist/on-demand.js   the rest of it, required on first use (engine, services, dashboard, endpoint)
//   dist/cli.js         `perpetuo serve`, the headless endpoint (node, cjs)
//   dist/webview/*      the dashboard UI (browser)
//   out/test/vscode/*   the integration suite run inside VS Code (only with --tests)
// `--production` minifies and drops source maps (the .vsix ships none); `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { commonOptions, extensionBundles, nodeOptions } from './scripts/bundle-options.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');

const common = commonOptions({ production });
const node = nodeOptions({ production });
const extension = extensionBundles({ production });

const builds = [
  extension.activation,
  extension.onDemand,
  // Tokenizer ranks (MBs) in their own files, required only on the first count that needs them.
  {
    ...node,
    entryPoints: { o200k_base: 'src/core/tokenizer/encodings/o200k-base.ts', cl100k_base: 'src/core/tokenizer/encodings/cl100k-base.ts' },
    outdir: 'dist/tokenizer',
  },
  // PDF.js (through unpdf, 1.6 MB) for PDF text extraction, required on the first PDF a model must read as text.
  // PDF.js assigns `globalThis.navigator ??= {}`; VS Code's extension host makes `navigator` a
  // getter with no setter (to keep extensions from taking it for a browser), so the assignment
  // throws there. PDF.js gets a navigator of its own, module-local, and the host's global is untouched.
  {
    ...node,
    entryPoints: { 'pdf-text': 'src/core/attachments/extract-pdf-text.ts' },
    outdir: 'dist',
    define: { navigator: '__pdfjsNavigator', 'globalThis.navigator': '__pdfjsNavigator' },
    banner: { js: 'var __pdfjsNavigator = { platform: "", userAgent: "" };' },
  },
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
  builds.push({ ...node, minify: false, sourcemap: 'inline', entryPoints, outdir: 'out/test/vscode', external: [...node.external, 'mocha'] });
}

if (!watch) {
  rmSync('dist', { recursive: true, force: true });
  if (withTests) {
    rmSync('out', { recursive: true, force: true });
  }
}

mkdirSync('dist', { recursive: true });
copyFileSync('src/core/catalog/bundled-catalog.json', 'dist/bundled-catalog.json');
if (withTests) {
  mkdirSync('out/test/vscode', { recursive: true });
  copyFileSync('src/core/catalog/bundled-catalog.json', 'out/test/vscode/bundled-catalog.json');
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
