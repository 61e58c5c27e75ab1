// `npm test`: every suite, in order, each closing with a plain `<suite>: N passed, N failed` line,
// then a total. Exits non-zero when any suite failed or could not run.
//   typecheck  tsc --noEmit over the project (a file passes when it has no error)
//   lint       eslint, including the layering rule (a file passes when it has no problem)
//   unit       mocha in plain Node (test/unit)
//   vscode     the integration suite inside a real VS Code 1.139.1 (test/vscode), then a harness
//              self-check: the same suite against an extension whose activate() throws must fail
//   browser    the dashboard bundle in headless Chromium (test/browser), and the packaged .vsix in
//              code-server driven as a user: keys, chat, fallback, no key on disk (test/ui)
// `npm test -- unit lint` runs only the named suites.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const only = process.argv.slice(2);
const results = [];

function run(command, args, { capture = false, env = {} } = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: capture ? 'pipe' : 'inherit', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function report(suite, passed, failed, extra = '') {
  results.push({ suite, passed, failed });
  console.log(`${suite}: ${passed} passed, ${failed} failed${extra}`);
}

const nodeBin = process.execPath;
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

const suites = {
  typecheck() {
    const check = run(nodeBin, [bin('typescript', 'bin/tsc'), '-p', '.', '--noEmit', '--pretty', 'false', '--listFiles'], { capture: true });
    const lines = check.stdout.split('\n');
    const files = lines.filter((l) => l.startsWith('/') && !l.includes('/node_modules/'));
    const errorLines = lines.filter((l) => /\(\d+,\d+\): error TS/.test(l));
    if (errorLines.length) console.log(errorLines.join('\n'));
    const failedFiles = new Set(errorLines.map((l) => l.split('(')[0]));
    const failed = check.status !== 0 ? Math.max(failedFiles.size, 1) : 0;
    report('typecheck', files.length - failedFiles.size, failed);
  },
  lint() {
    const lint = run(nodeBin, [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '--format', 'json', '.'], { capture: true });
    let files;
    try {
      files = JSON.parse(lint.stdout);
    } catch {
      console.log(lint.stdout, lint.stderr);
      report('lint', 0, 1);
      return;
    }
    const bad = files.filter((f) => f.errorCount + f.warningCount > 0);
    for (const f of bad) {
      for (const m of f.messages) console.log(`${f.filePath}:${m.line}:${m.column} ${m.message} (${m.ruleId})`);
    }
    report('lint', files.length - bad.length, bad.length);
  },
  unit() {
    const mocha = run(nodeBin, [bin('mocha', 'bin/mocha.js'), '--reporter', 'spec'], { capture: true });
    process.stdout.write(mocha.stdout.split('\n').filter((l) => !/^\s+✔/.test(l)).join('\n'));
    process.stderr.write(mocha.stderr.split('\n').filter((l) => !/Unknown (user|env) config/.test(l)).join('\n'));
    const passing = Number(/(\d+) passing/.exec(mocha.stdout)?.[1] ?? 0);
    const failing = Number(/(\d+) failing/.exec(mocha.stdout)?.[1] ?? 0);
    const pending = Number(/(\d+) pending/.exec(mocha.stdout)?.[1] ?? 0);
    report('unit', passing, failing || (mocha.status !== 0 ? 1 : 0), pending ? `, ${pending} skipped` : '');
  },
  vscode() {
    const build = run(nodeBin, ['esbuild.mjs', '--tests']);
    if (build.status !== 0) {
      report('vscode', 0, 1);
      return;
    }
    const suite = run(nodeBin, ['scripts/vscode-host/run-vscode-tests.mjs'], { capture: true });
    process.stdout.write(suite.stdout.split('\n').filter((l) => !/^vscode: \d+ passed/.test(l)).join('\n') + '\n');
    process.stderr.write(suite.stderr);
    const counts = /vscode: (\d+) passed, (\d+) failed/.exec(suite.stdout);
    const passed = Number(counts?.[1] ?? 0);
    const failed = Number(counts?.[2] ?? 0) || (suite.status !== 0 ? 1 : 0);
    // The harness must notice an extension that fails to activate, or a green run proves nothing.
    const selfCheck = run(nodeBin, ['scripts/vscode-host/run-vscode-tests.mjs', '--quiet', '--extension', 'test/fixtures/extension-that-throws'], { capture: true });
    const caught = selfCheck.status === 1 && /vscode: \d+ passed, [1-9]\d* failed/.test(selfCheck.stdout);
    if (!caught) {
      console.log(`harness self-check: a failing activation was NOT detected (exit ${selfCheck.status})\n${selfCheck.stdout.slice(-2000)}`);
    }
    report('vscode', passed + (caught ? 1 : 0), failed + (caught ? 0 : 1));
  },
  browser() {
    // test/browser: the dashboard bundle; test/ui: the packaged .vsix in code-server, as a user.
    const files = ['test/browser', 'test/ui'].flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : []));
    if (files.length === 0) {
      console.log('browser: no browser tests yet');
      return;
    }
    const build = run(nodeBin, ['esbuild.mjs']);
    if (build.status !== 0) {
      report('browser', 0, 1);
      return;
    }
    const mocha = run(nodeBin, [bin('mocha', 'bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--reporter', 'spec', '--timeout', '60000', ...files], { capture: true });
    process.stdout.write(mocha.stdout.split('\n').filter((l) => !/^\s+✔/.test(l)).join('\n'));
    const passing = Number(/(\d+) passing/.exec(mocha.stdout)?.[1] ?? 0);
    const failing = Number(/(\d+) failing/.exec(mocha.stdout)?.[1] ?? 0);
    report('browser', passing, failing || (mocha.status !== 0 ? 1 : 0));
  },
};

const order = ['typecheck', 'lint', 'unit', 'vscode', 'browser'];
for (const name of order) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  suites[name]();
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`\n${results.map((r) => `${r.suite} ${r.passed}/${r.passed + r.failed}`).join(' · ')}`);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
