import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const repo = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: repo });

/** Lints `code` as if it were the file at `path`: the config's per-folder rules apply. */
async function restrictedImportErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repo, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rule (ARCHITECTURE.md)', () => {
  const planted: Array<[room: string, path: string, code: string]> = [
    ['core imports vscode', 'src/core/planted.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
    ['core imports src/vscode', 'src/core/routing/planted.ts', "import { KeyStore } from '../../vscode/key-store';\nexport const k = KeyStore;\n"],
    ['core imports src/server', 'src/core/planted.ts', "import { x } from '../server/anything';\nexport const y = x;\n"],
    ['core starts an http server', 'src/core/planted.ts', "import { createServer } from 'node:http';\nexport const s = createServer;\n"],
    ['server imports vscode', 'src/server/planted.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"],
    ['server imports src/vscode', 'src/server/planted.ts', "import { KeyStore } from '../vscode/key-store';\nexport const k = KeyStore;\n"],
    ['webview imports core', 'webview-ui/src/planted.ts', "import { PerpetuoError } from '../../src/core/errors/perpetuo-error';\nexport const e = PerpetuoError;\n"],
  ];
  for (const [room, path, code] of planted) {
    it(`fails when ${room}`, async () => {
      const errors = await restrictedImportErrors(path, code);
      assert.equal(errors.length, 1, `expected one layering error for ${path}, got ${JSON.stringify(errors)}`);
    });
  }

  it('allows the arrows that point at core', async () => {
    assert.deepEqual(await restrictedImportErrors('src/server/planted.ts', "import { PerpetuoError } from '../core/errors/perpetuo-error';\nexport const e = PerpetuoError;\n"), []);
    assert.deepEqual(await restrictedImportErrors('src/vscode/planted.ts', "import * as vscode from 'vscode';\nimport { PerpetuoError } from '../core/errors/perpetuo-error';\nexport const e = [vscode, PerpetuoError];\n"), []);
    assert.deepEqual(await restrictedImportErrors('webview-ui/src/planted.ts', "import type { HostToWebview } from '../../src/shared/webview-protocol';\nexport type T = HostToWebview;\n"), []);
  });

  it('makes `npm run lint` exit non-zero when a bad import is planted on disk', function () {
    this.timeout(60_000);
    const file = join(repo, 'src/core', `planted-layering-check-${process.pid}.ts`);
    writeFileSync(file, "import * as vscode from 'vscode';\nexport const planted = vscode;\n");
    try {
      const run = spawnSync(process.execPath, [join(repo, 'node_modules/eslint/bin/eslint.js'), file], { cwd: repo, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /Only src\/vscode may import 'vscode'/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
