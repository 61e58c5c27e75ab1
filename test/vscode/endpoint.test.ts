import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import * as vscode from 'vscode';
import { perpetuoLogContaining, profileDir } from './profile-files';
import { createEndpointServer } from '../../src/server/create-endpoint-server';
import { generateEndpointToken } from '../../src/server/generate-endpoint-token';
import { createEndpointTestEngine } from '../support/endpoint-test-engine';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

const EXTENSION_ID = 'perpetuo.perpetuo';
const OPENROUTER_KEY = 'sk-or-v1-endpointtest0123456789abcdef0123456789abcdef01';
const OPENROUTER_KEY_2 = 'sk-or-v1-endpointtestSECOND456789abcdef0123456789abcdef01';
/** A planted endpoint token (ppt_ + 43 base64url characters), set with addApp. */
const APP = 'endpoint-test';
const TOKEN = 'ppt_EndpointTestToken0123456789abcdefghijklmnopqrs';
const WRONG_TOKEN = 'ppt_not-the-token-0123456789abcdefghijklmnopqrstuvw';
/** Tokens the rotation made (read back from the clipboard), for the leak check. */
const rotatedTokens: string[] = [];
const MODEL = 'anthropic/claude-sonnet-4';
const ANSWER = 'The tallest building needs a deep foundation.';

interface EndpointStatus {
  running: boolean;
  host: string;
  port: number | undefined;
  owner: 'this-window' | 'other-window' | 'none';
  message?: string;
}

/** A plain request with any headers (fetch may not set Host); resolves with the status and body. */
function rawRequest(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A node:http server on a free loopback port, answering as given. */
async function startPlainServer(answer: (path: string) => { status: number; body: unknown }): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const { status, body } = answer(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };


/** The local endpoint inside VS Code: official OpenAI and Anthropic SDKs → Perpetuo's endpoint → the window's engine → fake OpenRouter. */
describe('local endpoint in VS Code (official SDKs → endpoint → ctx.engine() → fake upstream)', () => {
  let upstream: FakeUpstream;
  let port: number;
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const config = () => vscode.workspace.getConfiguration('perpetuo');
  const openai = (apiKey: string) => new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey, maxRetries: 0 });
  const status = async () => (await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.status'))!;

  before(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /or/api/v1/chat/completions', { sse: readSseFixture(join(root, 'test/fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    await config().update('providers', [{ id: 'openrouter', baseUrl: `${upstream.url}/or/api/v1` }], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
    const added = await vscode.commands.executeCommand<{ name: string; masked: string }>('perpetuo.endpoint.addApp', { name: APP, token: TOKEN });
    assert.deepEqual(added, { name: APP, masked: `ppt_…${TOKEN.slice(-4)}` });
    const started = await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.start', { port: 0 });
    assert.equal(started?.owner, 'this-window', JSON.stringify(started));
    assert.equal(started.host, '127.0.0.1');
    assert.ok(typeof started.port === 'number' && started.port > 0);
    port = started.port;
  });

  after(async () => {
    await vscode.commands.executeCommand('perpetuo.endpoint.stop');
    await vscode.commands.executeCommand('perpetuo.endpoint.removeApp', { name: APP });
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openrouter');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoint.enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoint.port', undefined, vscode.ConfigurationTarget.Global);
    await upstream.close();
  });

  it('reports this window as the owner of the port it bound', async () => {
    assert.deepEqual(await status(), { running: true, host: '127.0.0.1', port, owner: 'this-window' });
    const health = await rawRequest(port, '/health', { host: `127.0.0.1:${port}` });
    assert.deepEqual({ status: health.status, body: JSON.parse(health.body) as unknown }, { status: 200, body: { status: 'ok', service: 'perpetuo' } });
  });

  it('uses the engine of the moment: a key replaced in SecretStorage serves the next request', async () => {
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY_2), true);
    const before = upstream.requests.length;
    // Default retries: a request that lands while the engine is being rebuilt gets 503 + retry-after: 1.
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: TOKEN });
    const data = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(data.choices[0]?.message.content, ANSWER);
    assert.deepEqual(
      upstream.requests.slice(before).map((r) => r.headers.authorization),
      [`Bearer ${OPENROUTER_KEY_2}`],
    );
    // And back: the tests that follow (no retries) start from a settled engine with the first key.
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
    const again = upstream.requests.length;
    await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(
      upstream.requests.slice(again).map((r) => r.headers.authorization),
      [`Bearer ${OPENROUTER_KEY}`],
    );
  });

  it('refuses a request without a token, and one with a wrong token, with 401', async () => {
    const missing = await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}` });
    assert.equal(missing.status, 401);
    const wrong = await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN.slice(0, -1)}x` });
    assert.equal(wrong.status, 401);
    await assert.rejects(
      openai(WRONG_TOKEN).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.AuthenticationError,
    );
    const ok = await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200, 'the right token is accepted on the same path');
  });

  it('refuses a foreign Host header (DNS rebinding) and a web page origin', async () => {
    const rebound = await rawRequest(port, '/v1/models', { host: `attacker.example:${port}`, authorization: `Bearer ${TOKEN}` });
    assert.equal(rebound.status, 421);
    const page = await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, origin: 'https://attacker.example', authorization: `Bearer ${TOKEN}` });
    assert.equal(page.status, 403);
  });

  it('rotates a token: the old one stops working at once, the new one (copied to the clipboard) works', async () => {
    const rotated = await vscode.commands.executeCommand<{ name: string; masked: string }>('perpetuo.endpoint.rotateToken', { name: APP });
    assert.equal(rotated?.name, APP);
    assert.notEqual(rotated.masked, `ppt_…${TOKEN.slice(-4)}`);
    assert.deepEqual(await status(), { running: true, host: '127.0.0.1', port, owner: 'this-window' }, 'the server kept its port');
    const old = await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` });
    assert.equal(old.status, 401);
    const copied = await vscode.commands.executeCommand<{ name: string; masked: string }>('perpetuo.endpoint.copyToken', { name: APP });
    assert.deepEqual(copied, rotated, 'commands return the masked form only');
    const fresh = await vscode.env.clipboard.readText();
    assert.match(fresh, /^ppt_[A-Za-z0-9_-]{43}$/);
    rotatedTokens.push(fresh);
    assert.equal(`ppt_…${fresh.slice(-4)}`, rotated.masked);
    const { data } = await openai(fresh).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'again' }] }).withResponse();
    assert.equal(data.choices[0]?.message.content, ANSWER);
    // Back to the planted token for the tests that follow (addApp is a setter).
    await vscode.commands.executeCommand('perpetuo.endpoint.addApp', { name: APP, token: TOKEN });
    assert.equal((await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, authorization: `Bearer ${fresh}` })).status, 401);
    assert.equal((await rawRequest(port, '/v1/models', { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` })).status, 200);
    await vscode.env.clipboard.writeText('');
  });

  it('refuses a weak token set through addApp', async () => {
    assert.equal(await vscode.commands.executeCommand('perpetuo.endpoint.addApp', { name: 'weak', token: 'ppt_123' }), undefined);
    assert.equal(await vscode.commands.executeCommand('perpetuo.endpoint.removeApp', { name: 'weak' }), false, 'nothing was stored');
  });

  it('reports another window as the owner when a Perpetuo endpoint already holds the port', async () => {
    // What another window (or `perpetuo serve`) runs: src/server's endpoint, with a token of its own.
    const other = createEndpointServer({ engine: createEndpointTestEngine(), tokens: [{ name: 'other', token: generateEndpointToken() }], port: 0, logger: silentLogger });
    const { port: otherPort } = await other.listen();
    try {
      const result = await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.start', { port: otherPort });
      assert.equal(result?.owner, 'other-window', JSON.stringify(result));
      assert.equal(result.running, true);
      assert.equal(result.port, otherPort);
      assert.equal(
        result.message,
        `Another VS Code window is already serving the Perpetuo endpoint on 127.0.0.1:${otherPort}; requests there use that window's keys and budgets (they share the same decision log).`,
      );
      assert.deepEqual(await status(), result);
      await assert.rejects(rawRequest(port, '/health', { host: `127.0.0.1:${port}` }), /ECONNREFUSED/, 'this window gave up its old port');
      const health = await rawRequest(otherPort, '/health', { host: `127.0.0.1:${otherPort}` });
      assert.equal(health.status, 200, 'the other endpoint still serves');
    } finally {
      await other.close();
    }
  });

  it('says when the port is taken by something that is not Perpetuo, and how to pick another', async () => {
    const other = await startPlainServer(() => ({ status: 404, body: { detail: 'Not Found' } }));
    try {
      const result = await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.start', { port: other.port });
      assert.equal(result?.owner, 'none', JSON.stringify(result));
      assert.equal(result.running, false);
      assert.match(result.message ?? '', new RegExp(`Port ${other.port} on 127\\.0\\.0\\.1 is taken by another program`));
      assert.match(result.message ?? '', /perpetuo\.endpoint\.port/);
    } finally {
      await closeServer(other.server);
    }
  });

  it('stops: the port refuses connections', async () => {
    const restarted = await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.start', { port: 0 });
    assert.equal(restarted?.owner, 'this-window');
    port = restarted.port!;
    assert.equal((await rawRequest(port, '/health', { host: `127.0.0.1:${port}` })).status, 200);
    const stopped = await vscode.commands.executeCommand<EndpointStatus>('perpetuo.endpoint.stop');
    assert.equal(stopped?.owner, 'none');
    assert.equal(stopped.running, false);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/health`), (error: unknown) => {
      assert.equal(((error as { cause?: { code?: string } }).cause ?? {}).code, 'ECONNREFUSED');
      return true;
    });
  });

  it('starts and stops with the perpetuo.endpoint.enabled setting', async () => {
    await config().update('endpoint.port', 0, vscode.ConfigurationTarget.Global);
    await config().update('endpoint.enabled', true, vscode.ConfigurationTarget.Global);
    let current = await status();
    for (let attempt = 0; attempt < 50 && current.owner !== 'this-window'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await status();
    }
    assert.equal(current.owner, 'this-window', JSON.stringify(current));
    const served = current.port!;
    const { data } = await new OpenAI({ baseURL: `http://127.0.0.1:${served}/v1`, apiKey: TOKEN, maxRetries: 0 }).models.list().withResponse();
    assert.ok(data.data.some((model) => model.id === 'perpetuo/auto'), 'the endpoint lists the window engine routes');
    await config().update('endpoint.enabled', false, vscode.ConfigurationTarget.Global);
    for (let attempt = 0; attempt < 50 && current.owner !== 'none'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await status();
    }
    assert.equal(current.owner, 'none');
    await assert.rejects(rawRequest(served, '/health', { host: `127.0.0.1:${served}` }), /ECONNREFUSED/);
  });

  it('keeps endpoint tokens out of settings and logs', async () => {
    const planted = [TOKEN, WRONG_TOKEN, ...rotatedTokens];
    assert.ok(rotatedTokens.length > 0, 'the rotation test ran and saw its new token');
    const inspected = JSON.stringify(['endpoint.enabled', 'endpoint.port', 'endpoint.allowedOrigins'].map((key) => config().inspect(key)));
    const settingsFile = join(profileDir(), 'user-data', 'User', 'settings.json');
    assert.ok(existsSync(settingsFile), `no user settings at ${settingsFile}`);
    const settingsText = readFileSync(settingsFile, 'utf8');
    assert.match(settingsText, /perpetuo\.endpoint\.enabled/, 'the settings file is the one the setting test wrote');
    const log = await perpetuoLogContaining(`endpoint: rotated the token of app ${APP}`);
    assert.match(log, /endpoint: GET \/v1\/models app - 401 authentication/, 'refused requests are logged, without the token presented');
    for (const token of planted) {
      assert.ok(!inspected.includes(token), 'a token reached the configuration');
      assert.ok(!settingsText.includes(token), 'a token reached settings.json');
      assert.ok(!log.includes(token), 'a token reached a log file');
    }
    assert.ok(!settingsText.includes('ppt_'), 'something token-shaped is in settings.json');
  });
});
