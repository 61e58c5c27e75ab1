import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const repo = join(__dirname, '..', '..', '..');

/**
 * What `dist/extension.js` (minified) may weigh. VS Code requires and V8 compiles the whole file
 * before activate() runs, so its size is activation time (BENCHMARKS.md, "extension"). It was
 * 65 KiB when the engine moved to `dist/on-demand.js`.
 */
const ACTIVATION_BUDGET_BYTES = 96 * 1024;

/**
 * Code that loads on first use (dist/on-demand.js), never at activation: the engine, routing,
 * catalog, guardrails, HTTP client and adapters, the ledger, the endpoint server, the dashboard
 * controller. A few small pure modules under these folders are what activation legitimately uses.
 */
const ON_DEMAND_ONLY = [
  /^node_modules\//,
  /^src\/core\/(engine|routing|catalog|guardrails|http|ledger|providers)\//,
  /^src\/server\//,
  /^src\/vscode\/(build-routing-engine|perpetuo-services|create-dashboard-data-source|on-demand)\.ts$/,
  /^src\/vscode\/dashboard\/dashboard-controller\.ts$/,
];
const ALLOWED_AT_ACTIVATION = new Set([
  'src/core/ledger/convert-usd-units.ts',
  'src/core/providers/openai-compatible/openai-compatible-presets.ts',
  'src/core/providers/provider-config-for.ts',
  'src/server/generate-endpoint-token.ts',
]);

type Bundles = { activation: esbuild.BuildOptions; onDemand: esbuild.BuildOptions };

async function loadBundleOptions(): Promise<Bundles> {
  const { extensionBundles } = (await import(join(repo, 'scripts/bundle-options.mjs'))) as { extensionBundles: (o: { production: boolean }) => Bundles };
  return extensionBundles({ production: true });
}

/** A metafile input as a repo path; dependencies as `node_modules/<package>/…` wherever node_modules really is. */
function repoPath(input: string): string {
  const path = relative(repo, join(repo, input));
  const at = path.lastIndexOf('node_modules/');
  return at >= 0 ? path.slice(at) : path;
}

/** Builds in memory; returns the minified size, the code and the repo-relative input modules. */
async function build(options: esbuild.BuildOptions): Promise<{ bytes: number; code: string; inputs: string[] }> {
  const result = await esbuild.build({ ...options, absWorkingDir: repo, write: false, metafile: true, logLevel: 'silent', outdir: 'out-in-memory' });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  assert.ok(js, 'esbuild wrote no .js output');
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  assert.ok(output, 'no entry output in the metafile');
  return { bytes: js.contents.byteLength, code: js.text, inputs: Object.keys(output.inputs).map(repoPath) };
}

/** Modules of `inputs` that must not be in the activation bundle. */
export function modulesActivationMustNotLoad(inputs: string[]): string[] {
  return inputs.filter((path) => !ALLOWED_AT_ACTIVATION.has(path) && ON_DEMAND_ONLY.some((pattern) => pattern.test(path)));
}

/**
 * Module-level state in a source file: `let`/`var` at the top level, collections created at the
 * top level and not typed read-only, mutable static fields. State kept on `globalThis` (under a
 * `Symbol.for` key) is one per process and passes. A module with state that is copied into two
 * bundles would have two of it: two caches, two registries.
 */
export function moduleLevelState(source: string, fileName = 'module.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const mutable = (statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== ts.NodeFlags.Const;
      for (const declaration of statement.declarationList.declarations) {
        const name = declaration.name.getText(file);
        const initializer = declaration.initializer?.getText(file) ?? '';
        if (initializer.includes('globalThis')) {
          continue;
        }
        if (mutable) {
          found.push(`${name} (a top-level let/var)`);
        } else if (declaration.initializer && ts.isNewExpression(declaration.initializer) && /^(Map|Set|WeakMap|WeakSet|EventEmitter|Array)$/.test(declaration.initializer.expression.getText(file)) && !/^Readonly/.test(declaration.type?.getText(file) ?? '')) {
          found.push(`${name} (a collection not typed read-only)`);
        }
      }
    } else if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        if (ts.isPropertyDeclaration(member) && modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) && !modifiers.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword)) {
          found.push(`${statement.name?.text ?? 'class'}.${member.name.getText(file)} (a mutable static field)`);
        }
      }
    }
  }
  return found;
}

describe('the activation bundle (dist/extension.js)', function () {
  this.timeout(60_000);
  let bundles: Bundles;
  let activation: { bytes: number; code: string; inputs: string[] };
  let onDemand: { bytes: number; code: string; inputs: string[] };

  before(async () => {
    bundles = await loadBundleOptions();
    [activation, onDemand] = await Promise.all([build(bundles.activation), build(bundles.onDemand)]);
  });

  it(`stays within its size budget (${ACTIVATION_BUDGET_BYTES / 1024} KiB minified)`, () => {
    assert.ok(activation.bytes <= ACTIVATION_BUDGET_BYTES, `dist/extension.js is ${(activation.bytes / 1024).toFixed(1)} KiB; load what activation does not run from dist/on-demand.js (src/vscode/load-on-demand.ts)`);
  });

  it('pulls in no dependency and none of the engine, routing, catalog, ledger, HTTP, adapter or server code', () => {
    assert.deepEqual(modulesActivationMustNotLoad(activation.inputs), []);
  });

  it('requires the vscode API once: esbuild\'s interop would copy all its members at every import site', () => {
    assert.equal(activation.code.match(/require\("vscode"\)/g)?.length, 1);
  });

  it('fails the check when activation imports the engine statically', async () => {
    const planted = await build({
      ...bundles.activation,
      entryPoints: undefined,
      stdin: { contents: "import './src/extension';\nimport { createRoutingEngine } from './src/core/engine/create-routing-engine';\nexport const engine = createRoutingEngine;\n", resolveDir: repo, loader: 'ts', sourcefile: 'planted.ts' },
    });
    const heavy = modulesActivationMustNotLoad(planted.inputs);
    assert.ok(heavy.includes('src/core/engine/create-routing-engine.ts'), JSON.stringify(heavy));
    assert.ok(heavy.some((path) => path.startsWith('node_modules/zod/')), 'zod comes in with the engine');
    assert.ok(planted.bytes > ACTIVATION_BUDGET_BYTES, `planted bundle ${planted.bytes} bytes`);
  });

  it('the on-demand bundle holds the engine', () => {
    assert.ok(onDemand.inputs.includes('src/core/engine/create-routing-engine.ts'));
    assert.ok(!onDemand.inputs.includes('src/extension.ts'));
  });

  it('shares with the on-demand bundle only modules without module-level state', () => {
    const shared = activation.inputs.filter((path) => onDemand.inputs.includes(path) && path.startsWith('src/'));
    assert.ok(shared.includes('src/core/errors/redact-secrets.ts'), 'both bundles redact');
    const stateful = shared.flatMap((path) => moduleLevelState(readFileSync(join(repo, path), 'utf8'), path).map((what) => `${path}: ${what}`));
    assert.deepEqual(stateful, [], 'each bundle would have its own copy of this state; keep it on globalThis under a Symbol.for key, or in one bundle only');
  });
});

describe('moduleLevelState', () => {
  it('finds top-level let, mutable collections and mutable static fields', () => {
    assert.deepEqual(moduleLevelState('let cache;\nconst seen = new Map<string, number>();\nclass A { static count = 0; }\n'), [
      'cache (a top-level let/var)',
      'seen (a collection not typed read-only)',
      'A.count (a mutable static field)',
    ]);
  });

  it('passes constants, read-only collections and state kept on globalThis', () => {
    const source = [
      "const LIMIT = 4;\nconst KINDS: ReadonlySet<string> = new Set(['a']);",
      'const registry: Set<string> = ((globalThis as Record<symbol, Set<string>>)[KEY] ??= new Set());',
      'class B { static readonly NAME = "b"; private count = 0; }',
    ].join('\n');
    assert.deepEqual(moduleLevelState(source), []);
  });
});
