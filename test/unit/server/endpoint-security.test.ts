import assert from 'node:assert/strict';
import { createEndpointServer } from '../../../src/server/create-endpoint-server';
import { createTokenVerifier } from '../../../src/server/create-token-verifier';
import { generateEndpointToken } from '../../../src/server/generate-endpoint-token';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import { rawRequest } from '../../support/endpoint-raw-request';
import { createEndpointTestEngine, type EndpointTestEngine } from '../../support/endpoint-test-engine';

const CHAT = JSON.stringify({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }] });
const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('endpoint security', () => {
  let engine: EndpointTestEngine;
  let endpoint: RunningEndpoint;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' });

  beforeEach(async () => {
    engine = createEndpointTestEngine();
    endpoint = await startTestEndpoint(engine);
  });
  afterEach(() => endpoint.close());

  it('refuses to bind anything but loopback, naming the address', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.test']) {
      assert.throws(
        () => createEndpointServer({ engine, tokens: [{ name: 'a', token: generateEndpointToken() }], host, port: 0, logger: silentLogger }),
        (error: Error) => error.message.includes(`'${host}'`) && /loopback only/.test(error.message),
      );
    }
  });

  it('makes tokens of ppt_ and 32 random bytes, and refuses weak or missing ones', () => {
    const token = generateEndpointToken();
    assert.match(token, /^ppt_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(token, generateEndpointToken());
    assert.throws(() => createTokenVerifier([]), /at least one token/);
    assert.throws(() => createTokenVerifier([{ name: 'a', token: 'ppt_short' }]), /too weak/);
    assert.throws(() => createTokenVerifier([{ name: 'a', token: 'x'.repeat(60) }]), /too weak/);
    const other = generateEndpointToken();
    const verify = createTokenVerifier([
      { name: 'a', token },
      { name: 'b', token: other },
    ]);
    assert.equal(verify(token), 'a');
    assert.equal(verify(token), 'a', 'the same token again (the remembered match)');
    assert.equal(verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), undefined, 'same length as the remembered token, one character off');
    assert.equal(verify(`${token}x`), undefined);
    assert.equal(verify(token.slice(0, -1)), undefined);
    assert.equal(verify(''), undefined);
    assert.equal(verify(other), 'b');
    assert.equal(verify(token), 'a');
  });

  it('answers 401 without a token, with a wrong token, and never echoes what was sent', async () => {
    const wrong = generateEndpointToken();
    const attempts: Array<Record<string, string>> = [{}, { authorization: `Bearer ${wrong}` }, { 'x-api-key': wrong }, { authorization: wrong }];
    for (const headers of attempts) {
      const reply = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, body: CHAT });
      assert.equal(reply.status, 401);
      assert.equal((reply.json as { error: { type: string } }).error.type, 'authentication_error');
      assert.ok(!reply.text.includes(wrong));
    }
    const anthropic = await rawRequest(endpoint.port, { path: '/v1/messages', headers: { 'x-api-key': wrong }, body: '{}' });
    assert.equal(anthropic.status, 401);
    assert.deepEqual((anthropic.json as { type: string; error: { type: string } }).error.type, 'authentication_error');
    assert.equal(engine.routes.length, 0);
    assert.ok(!endpoint.logs.join('\n').includes(wrong));
  });

  it('accepts the token as x-api-key too', async () => {
    const reply = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: { 'x-api-key': endpoint.token, 'content-type': 'application/json' }, body: CHAT });
    assert.equal(reply.status, 200);
  });

  it('refuses a foreign Host (DNS rebinding) with 421, and accepts the three loopback names', async () => {
    for (const host of ['evil.example:80', `evil.example:${endpoint.port}`, `127.0.0.1:${endpoint.port + 1}`, '127.0.0.1', `0.0.0.0:${endpoint.port}`]) {
      const reply = await rawRequest(endpoint.port, { path: '/v1/chat/completions', host, headers: auth(), body: CHAT });
      assert.equal(reply.status, 421, host);
    }
    for (const host of [`127.0.0.1:${endpoint.port}`, `localhost:${endpoint.port}`, `[::1]:${endpoint.port}`]) {
      const reply = await rawRequest(endpoint.port, { path: '/v1/chat/completions', host, headers: auth(), body: CHAT });
      assert.equal(reply.status, 200, host);
    }
  });

  it('refuses a browser Origin unless allowed, with no wildcard CORS, and answers preflight only for allowed origins', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000']) {
      const reply = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: { ...auth(), origin }, body: CHAT });
      assert.equal(reply.status, 403, origin);
      assert.equal(reply.headers['access-control-allow-origin'], undefined);
      const preflight = await rawRequest(endpoint.port, { method: 'OPTIONS', path: '/v1/chat/completions', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    }
    assert.equal(engine.routes.length, 0);

    await endpoint.close();
    endpoint = await startTestEndpoint(engine, { allowedOrigins: ['http://localhost:3000'] });
    const preflight = await rawRequest(endpoint.port, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:3000');
    const allowed = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: { ...auth(), origin: 'http://localhost:3000' }, body: CHAT });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:3000');
    const other = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: { ...auth(), origin: 'http://localhost:3001' }, body: CHAT });
    assert.equal(other.status, 403);
  });

  it('refuses an oversize body with 413, declared or chunked', async () => {
    await endpoint.close();
    endpoint = await startTestEndpoint(engine, { limits: { maxBodyBytes: 1024 } });
    const big = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    const declared = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: big });
    assert.equal(declared.status, 413);
    assert.equal((declared.json as { error: { code: string } }).error.code, 'payload_too_large');
    const chunked = await rawRequest(endpoint.port, { path: '/v1/messages', headers: { ...auth(), 'transfer-encoding': 'chunked' }, body: big });
    assert.equal(chunked.status, 413);
    assert.equal((chunked.json as { error: { type: string } }).error.type, 'request_too_large');
    assert.equal(engine.routes.length, 0);
  });

  it('drops a request whose client hangs up mid-body: no route, no crash, and the next request is served', async () => {
    const { connect } = await import('node:net');
    const socket = connect(endpoint.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const headers = Object.entries({ ...auth(), host: `127.0.0.1:${endpoint.port}`, 'content-length': String(CHAT.length) })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\n${headers}\r\n\r\n${CHAT.slice(0, 20)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(engine.routes.length, 0);
    const next = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: CHAT });
    assert.equal(next.status, 200);
  });

  it('answers malformed JSON and wrong types with 400 naming the field, and ignores unknown fields with one warning', async () => {
    const malformed = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: '{"model": "x", ' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.text, /not valid JSON/);

    const wrongType = await rawRequest(endpoint.port, {
      path: '/v1/chat/completions',
      headers: auth(),
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }),
    });
    assert.equal(wrongType.status, 400);
    assert.equal((wrongType.json as { error: { param: string } }).error.param, 'temperature');

    const nested = await rawRequest(endpoint.port, {
      path: '/v1/messages',
      headers: auth(),
      body: JSON.stringify({ model: 'x', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 42 }] }] }),
    });
    assert.equal(nested.status, 400);
    assert.match((nested.json as { error: { message: string } }).error.message, /messages\[0\]\.content/);

    // null for "absent", as many clients send it, is not a wrong type.
    const nulls = await rawRequest(endpoint.port, {
      path: '/v1/messages',
      headers: auth(),
      body: JSON.stringify({ model: 'x', max_tokens: 5, system: null, temperature: null, tools: null, models: null, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(nulls.status, 200, nulls.text);

    for (let i = 0; i < 3; i++) {
      const unknown = await rawRequest(endpoint.port, {
        path: '/v1/chat/completions',
        headers: auth(),
        body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }], brand_new_option: { a: 1 } }),
      });
      assert.equal(unknown.status, 200);
    }
    assert.equal(endpoint.logs.filter((line) => line.includes("'brand_new_option'")).length, 1);
  });

  it('caps requests a minute per token with 429 and retry-after', async () => {
    await endpoint.close();
    let clock = 1_000_000;
    endpoint = await startTestEndpoint(engine, { limits: { requestsPerMinute: 2 }, now: () => clock });
    const send = (): ReturnType<typeof rawRequest> => rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: CHAT });
    assert.equal((await send()).status, 200);
    assert.equal((await send()).status, 200);
    const limited = await send();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '30');
    clock += 30_000;
    assert.equal((await send()).status, 200);
  });

  it('caps concurrent requests per token with 429', async () => {
    await endpoint.close();
    endpoint = await startTestEndpoint(engine, { limits: { maxConcurrentPerToken: 1 } });
    engine.script = () => [{ type: 'hang' }];
    const hanging = rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: CHAT }).catch(() => undefined);
    while (engine.routes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = await rawRequest(endpoint.port, { path: '/v1/chat/completions', headers: auth(), body: CHAT });
    assert.equal(second.status, 429);
    assert.equal(second.headers['retry-after'], '1');
    await endpoint.close();
    await hanging;
    assert.equal(engine.routes[0]?.signal.aborted, true, 'closing the server aborts calls in flight');
  });

  it('answers /health without a token, unknown paths with 404 and wrong methods with 405', async () => {
    assert.equal((await rawRequest(endpoint.port, { method: 'GET', path: '/health' })).status, 200);
    assert.equal((await rawRequest(endpoint.port, { method: 'GET', path: '/health', host: 'evil.example' })).status, 421);
    assert.equal((await rawRequest(endpoint.port, { method: 'GET', path: '/v1/nope', headers: auth() })).status, 404);
    assert.equal((await rawRequest(endpoint.port, { method: 'GET', path: '/v1/chat/completions', headers: auth() })).status, 405);
  });

  it('never logs a token or a body, and redacts keys an upstream error quotes', async () => {
    engine.script = () => [
      {
        type: 'error',
        // Not a PerpetuoError (which redacts itself): the endpoint must still redact it.
        error: Object.assign(new Error('upstream said: bad key sk-proj-zyxwvutsrqponm9876'), { kind: 'auth' }) as never,
      },
    ];
    const reply = await rawRequest(endpoint.port, {
      path: '/v1/chat/completions',
      headers: auth(),
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'secret prompt text sk-proj-abcdefghijklmnop1234' }] }),
    });
    assert.equal(reply.status, 500, 'a non-PerpetuoError from the engine is an internal error');
    const logs = endpoint.logs.join('\n');
    assert.ok(!logs.includes(endpoint.token));
    assert.ok(!logs.includes('secret prompt text'));
    assert.ok(!logs.includes('sk-proj-abcdefghijklmnop1234'));
    assert.ok(!logs.includes('sk-proj-zyxwvutsrqponm9876'));
    assert.ok(!reply.text.includes('sk-proj-zyxwvutsrqponm9876'));
    assert.match(reply.text, /\[REDACTED\]/);
  });
});
