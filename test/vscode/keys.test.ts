import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { perpetuoLogContaining, profileDir } from './profile-files';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

// Planted keys of the real shapes (40 characters for OpenAI): they must never leave SecretStorage.
const PLANTED_OPENAI = `sk-test-${'k3y'.repeat(10)}ab`;
const PLANTED_BAD = `sk-test-${'bad'.repeat(10)}cd`;
const PLANTED_GEMINI = `AIza${'G'.repeat(35)}`;
const PLANTED_ENDPOINT = 'vllm-token-0123456789abcdef';
const ALL_PLANTED = [PLANTED_OPENAI, PLANTED_BAD, PLANTED_GEMINI, PLANTED_ENDPOINT];

interface MaskedKey {
  provider: string;
  masked: string;
}


describe('Provider keys (commands, SecretStorage only)', () => {
  let upstream: FakeUpstream;
  let previousProviders: unknown;
  const shown: string[] = [];

  before(async () => {
    await vscode.extensions.getExtension('perpetuo.perpetuo')?.activate();
    upstream = await startFakeUpstream();
    // The cheapest authenticated call for OpenAI is GET /models: 200 for the good key, 401 otherwise.
    upstream.on('GET /v1/models', (request) =>
      request.headers.authorization === `Bearer ${PLANTED_OPENAI}`
        ? { json: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' }] } }
        : { status: 401, json: { error: { message: 'Incorrect API key provided: sk-test-***cd.', type: 'invalid_request_error', code: 'invalid_api_key' } } },
    );
    const configuration = vscode.workspace.getConfiguration('perpetuo');
    previousProviders = configuration.inspect('providers')?.globalValue;
    await configuration.update('providers', [{ id: 'openai', baseUrl: `${upstream.url}/v1` }], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const id of ['openai', 'google', 'my-vllm']) {
      await vscode.commands.executeCommand('perpetuo.removeKey', id);
    }
    await vscode.workspace.getConfiguration('perpetuo').update('providers', previousProviders, vscode.ConfigurationTarget.Global);
    await upstream.close();
  });

  it('adds a key from an argument and lists it masked', async () => {
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openai', PLANTED_OPENAI), true);
    const list = await vscode.commands.executeCommand<MaskedKey[]>('perpetuo.listKeys');
    assert.deepEqual(list.find((k) => k.provider === 'openai'), { provider: 'openai', masked: `sk-…${PLANTED_OPENAI.slice(-4)}` });
    shown.push(JSON.stringify(list));
  });

  it('an empty key leaves the stored key unchanged', async () => {
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openai', '   '), false);
    const list = await vscode.commands.executeCommand<MaskedKey[]>('perpetuo.listKeys');
    assert.equal(list.find((k) => k.provider === 'openai')?.masked, `sk-…${PLANTED_OPENAI.slice(-4)}`);
  });

  it('tests a good key as valid with one authenticated call to the configured base URL', async () => {
    upstream.requests.length = 0;
    const result = await vscode.commands.executeCommand<{ status: string; message: string }>('perpetuo.testKey', 'openai');
    assert.equal(result.status, 'valid', result.message);
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0]?.headers.authorization, `Bearer ${PLANTED_OPENAI}`);
    shown.push(result.message);
  });

  it('tests a refused key as invalid, and the message quotes no key', async () => {
    await vscode.commands.executeCommand('perpetuo.addKey', 'openai', PLANTED_BAD);
    const result = await vscode.commands.executeCommand<{ status: string; message: string }>('perpetuo.testKey', 'openai');
    assert.equal(result.status, 'invalid', result.message);
    assert.match(result.message, /refused/);
    shown.push(result.message);
  });

  it('says unreachable when the provider cannot be reached', async () => {
    const port = Number(new URL(upstream.url).port);
    await vscode.workspace.getConfiguration('perpetuo').update('providers', [{ id: 'openai', baseUrl: `http://127.0.0.1:${port === 1 ? 2 : 1}/v1` }], vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<{ status: string; message: string }>('perpetuo.testKey', 'openai');
      assert.equal(result.status, 'unreachable', result.message);
      shown.push(result.message);
    } finally {
      await vscode.workspace.getConfiguration('perpetuo').update('providers', [{ id: 'openai', baseUrl: `${upstream.url}/v1` }], vscode.ConfigurationTarget.Global);
    }
  });

  it('removes a key with its own command', async () => {
    assert.equal(await vscode.commands.executeCommand('perpetuo.removeKey', 'openai'), true);
    const list = await vscode.commands.executeCommand<MaskedKey[]>('perpetuo.listKeys');
    assert.equal(list.find((k) => k.provider === 'openai'), undefined);
    const result = await vscode.commands.executeCommand<{ status: string }>('perpetuo.testKey', 'openai');
    assert.equal(result.status, 'no-key');
  });

  it('imports keys from environment variables, shown masked, GOOGLE_API_KEY for Gemini', async () => {
    const result = await vscode.commands.executeCommand<{ found: Array<{ provider: string; variable: string; masked: string }>; stored: string[] }>(
      'perpetuo.importKeysFromEnvironment',
      { env: { OPENAI_API_KEY: PLANTED_OPENAI, GOOGLE_API_KEY: PLANTED_GEMINI, UNRELATED_TOKEN: 'not-a-provider-key-value' }, confirm: true },
    );
    assert.deepEqual(
      result.found.map((f) => `${f.provider}:${f.variable}:${f.masked}`).sort(),
      [`google:GOOGLE_API_KEY:AIza…${PLANTED_GEMINI.slice(-4)}`, `openai:OPENAI_API_KEY:sk-…${PLANTED_OPENAI.slice(-4)}`],
    );
    assert.deepEqual(result.stored.sort(), ['google', 'openai']);
    const test = await vscode.commands.executeCommand<{ status: string }>('perpetuo.testKey', 'openai');
    assert.equal(test.status, 'valid', 'the imported key is the one stored');
    shown.push(JSON.stringify(result));
  });

  it('configures a custom endpoint in user settings without its key, and keeps the key in SecretStorage', async () => {
    const saved = await vscode.commands.executeCommand('perpetuo.configureEndpoint', {
      id: 'my-vllm',
      preset: 'custom',
      baseUrl: `${upstream.url}/v1/`,
      models: ['qwen-coder'],
      key: PLANTED_ENDPOINT,
    });
    assert.equal(saved, true);
    const providers = vscode.workspace.getConfiguration('perpetuo').inspect<Array<Record<string, unknown>>>('providers')?.globalValue ?? [];
    assert.deepEqual(
      providers.find((p) => p.id === 'my-vllm'),
      { id: 'my-vllm', preset: 'custom', baseUrl: `${upstream.url}/v1`, models: ['qwen-coder'] },
    );
    const list = await vscode.commands.executeCommand<MaskedKey[]>('perpetuo.listKeys');
    assert.ok(list.some((k) => k.provider === 'my-vllm'));
  });

  it('never writes a planted key to settings, the log or any message it showed', async () => {
    const configuration = vscode.workspace.getConfiguration('perpetuo');
    const inspected = JSON.stringify(['providers', 'routing.strategy'].map((key) => configuration.inspect(key)));
    const settingsFile = join(profileDir(), 'user-data', 'User', 'settings.json');
    assert.ok(existsSync(settingsFile), 'the user settings file was written by configureEndpoint');
    const settingsText = readFileSync(settingsFile, 'utf8');
    assert.match(settingsText, /my-vllm/, 'the settings file is the one our commands wrote');
    const log = await perpetuoLogContaining('endpoint my-vllm (custom) saved to settings');
    for (const key of ALL_PLANTED) {
      assert.ok(!inspected.includes(key), 'a key reached configuration');
      assert.ok(!settingsText.includes(key), 'a key reached settings.json');
      assert.ok(!log.includes(key), 'a key reached a log file');
      for (const message of shown) {
        assert.ok(!message.includes(key), `a key reached a shown message: ${message}`);
      }
    }
  });
});
