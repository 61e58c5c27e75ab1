import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { filesUnder, profileDir } from './profile-files';

/**
 * The extension runs as two bundles: the key store is in dist/extension.js, the adapters that
 * build errors from a provider's answer are in dist/on-demand.js, and the mapping to
 * vscode.LanguageModelError is back in dist/extension.js. A key registered in one bundle must be
 * redacted in the other, and an error built by one must be recognised by the other.
 */
describe('the activation and on-demand bundles act as one', () => {
  // No provider's key shape: only the registry of stored keys can redact it.
  const OPAQUE_KEY = 'opaque-proxy-credential-7f3a91c2d4e5b6a7';
  let upstream: FakeUpstream;
  const config = () => vscode.workspace.getConfiguration('perpetuo');

  before(async () => {
    upstream = await startFakeUpstream();
    await config().update('providers', [{ id: 'anthropic', baseUrl: `${upstream.url}/an/v1` }], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'anthropic', OPAQUE_KEY), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('perpetuo.removeKey', 'anthropic');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await upstream.close();
  });

  it('redacts a stored key that the provider echoes in its error, and maps the error by its kind', async () => {
    // The Anthropic adapter does not register keys itself: only the key store's registration can redact it.
    upstream.on('POST /an/v1/messages', { status: 401, json: { type: 'error', error: { type: 'authentication_error', message: `Invalid credentials: ${OPAQUE_KEY}` } } });
    let model: vscode.LanguageModelChat | undefined;
    for (let attempt = 0; attempt < 50 && !model; attempt++) {
      [model] = await vscode.lm.selectChatModels({ vendor: 'perpetuo', id: 'anthropic/claude-sonnet-4' });
      if (!model) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(model, 'anthropic/claude-sonnet-4 never appeared in the model picker');
    await assert.rejects(
      async () => {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {});
        for await (const _ of response.text) {
          // drain
        }
      },
      (error: unknown) => {
        assert.ok(error instanceof vscode.LanguageModelError, `expected LanguageModelError, got ${String(error)}`);
        assert.equal(upstream.requests.at(-1)?.headers['x-api-key'], OPAQUE_KEY, 'the request reached the fake provider with the stored key');
        assert.match(error.message, /Invalid credentials: \[REDACTED\]/, 'the provider text is quoted, the key in it redacted');
        assert.ok(!error.message.includes(OPAQUE_KEY), `the key leaked: ${error.message}`);
        // An auth error built in dist/on-demand.js is still a PerpetuoError in dist/extension.js.
        assert.equal(error.code, vscode.LanguageModelError.NoPermissions.name, `error code ${error.code}`);
        return true;
      },
    );
  });

  it('keeps that key out of the decision log line the engine wrote for the failed request', async () => {
    // The ledger line is written by dist/on-demand.js alone: no second redaction in dist/extension.js.
    let ledger = '';
    for (let attempt = 0; attempt < 100 && !ledger.includes('Invalid credentials'); attempt++) {
      ledger = filesUnder(profileDir())
        .filter((file) => file.includes('perpetuo') && file.includes('ledger'))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n');
      if (!ledger.includes('Invalid credentials')) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.match(ledger, /Invalid credentials: \[REDACTED\]/, 'the decision log holds the failed attempt');
    assert.ok(!ledger.includes(OPAQUE_KEY), 'the key leaked into the decision log');
  });
});
