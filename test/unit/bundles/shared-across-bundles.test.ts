import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type * as Errors from '../../../src/core/errors';

const repo = join(__dirname, '..', '..', '..');

type ErrorsModule = typeof Errors;

/**
 * The extension runs as two bundles (dist/extension.js, dist/on-demand.js), each with its own copy
 * of src/core/errors. Two such copies, built by esbuild and loaded into one process, must act as one.
 */
describe('src/core/errors copied into two bundles', function () {
  this.timeout(30_000);
  let dir: string;
  let first: ErrorsModule;
  let second: ErrorsModule;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-two-bundles-'));
    const load = async (name: string): Promise<ErrorsModule> => {
      const result = await esbuild.build({
        stdin: { contents: "export * from './src/core/errors';\n", resolveDir: repo, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        write: false,
        logLevel: 'silent',
      });
      const file = join(dir, `${name}.js`);
      writeFileSync(file, result.outputFiles[0]!.contents);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a freshly built bundle is the point
      return require(file) as ErrorsModule;
    };
    first = await load('activation');
    second = await load('on-demand');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are two copies (else this test proves nothing)', () => {
    assert.notEqual(first.PerpetuoError, second.PerpetuoError);
    assert.notEqual(first.registerSecret, second.registerSecret);
  });

  it('redact in one a secret registered in the other, in text and in error messages', () => {
    // An Azure-style key: no known shape, so only the registry can catch it.
    const key = `azure${Date.now()}0f3b2c9d8e7a6b5c`;
    first.registerSecret(key);
    assert.equal(second.redactSecrets(`upstream said: invalid key ${key}`), 'upstream said: invalid key [REDACTED]');
    const error = new second.PerpetuoError({ kind: 'auth', message: `401 for ${key}`, responseBody: `{"key":"${key}"}` });
    assert.ok(!JSON.stringify([error.message, error.responseBody, error.stack]).includes(key));
  });

  it('recognise each other\'s PerpetuoError with instanceof, is() and from()', () => {
    const error = new second.PerpetuoError({ kind: 'rate-limit', message: 'slow down', provider: 'openai' });
    assert.ok(error instanceof first.PerpetuoError);
    assert.ok(first.PerpetuoError.is(error));
    assert.equal(first.PerpetuoError.from(error, { kind: 'server' }), error);
    assert.ok(!(new Error('plain') instanceof first.PerpetuoError));
    assert.ok(!first.PerpetuoError.is({ kind: 'auth', message: 'look-alike' }));
  });
});
