// esbuild options shared by esbuild.mjs and test/unit/activation-bundle.test.ts (which builds the
// extension's bundles in memory and reads their metafiles).

/** @param {{ production: boolean }} options */
export function commonOptions({ production }) {
  return {
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
    legalComments: production ? 'none' : 'inline',
  };
}

/**
 * `import * as vscode from 'vscode'` in each of some twenty modules makes esbuild wrap
 * `require('vscode')` in its ESM interop at every import site, and each wrap copies all of the
 * API's several hundred members as getters: about 10 ms of CPU on every load of the activation
 * bundle. Every import goes through one module instead, which re-exports the API once.
 * @type {import('esbuild').Plugin}
 */
const oneVscodeImport = {
  name: 'one-vscode-import',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** @param {{ production: boolean }} options */
export function nodeOptions({ production }) {
  return {
    ...commonOptions({ production }),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // undici and eventsource-parser are ESM-first; bundle them so the .vsix needs no node_modules.
    mainFields: ['module', 'main'],
    // The model catalog snapshot ships beside the bundles as JSON (copied by esbuild.mjs): a third of
    // the engine's size, and JSON.parse reads it faster than the same data as a JS literal.
    external: ['vscode', './bundled-catalog.json'],
    plugins: [oneVscodeImport],
  };
}

/**
 * The extension itself, as two bundles. esbuild has no code splitting for cjs, so the split is by
 * entry point: `dist/extension.js` holds what activation runs (registrations, key store, status
 * bar, message conversion) and `dist/on-demand.js` everything else, required on first use by
 * src/vscode/load-on-demand.ts. Modules both reach are copied into both; the few with state keep
 * it on `globalThis` (see ARCHITECTURE.md, "Bundles").
 * @param {{ production: boolean }} options
 */
export function extensionBundles({ production }) {
  const node = nodeOptions({ production });
  return {
    activation: { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
    onDemand: { ...node, entryPoints: { 'on-demand': 'src/vscode/on-demand.ts' }, outdir: 'dist' },
  };
}
