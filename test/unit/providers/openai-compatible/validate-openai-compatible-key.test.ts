import assert from 'node:assert/strict';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { validateOpenAICompatibleKey } from '../../../../src/core/providers/openai-compatible/validate-openai-compatible-key';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';

describe('validateOpenAICompatibleKey', () => {
  let upstream: FakeUpstream;
  const signal = () => new AbortController().signal;
  const openai = (): ProviderConfig => ({ id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-proj-validatekey0123456789' });
  const openrouter = (): ProviderConfig => ({ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/api/v1`, apiKey: 'sk-or-v1-validatekey0123456789' });

  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('calls GET /models with the key and says valid on 200', async () => {
    upstream.on('GET /v1/models', { json: { object: 'list', data: [{ id: 'gpt-4o' }] } });
    assert.deepEqual(await validateOpenAICompatibleKey(openai(), signal()), { status: 'valid', detail: 'Key accepted.' });
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer sk-proj-validatekey0123456789');
  });

  it('says invalid on 401, no-credit on insufficient_quota, valid-but-busy on a plain 429', async () => {
    upstream.on('GET /v1/models', { status: 401, json: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } });
    assert.equal((await validateOpenAICompatibleKey(openai(), signal())).status, 'invalid');
    upstream.on('GET /v1/models', { status: 429, json: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } });
    assert.equal((await validateOpenAICompatibleKey(openai(), signal())).status, 'no-credit');
    upstream.on('GET /v1/models', { status: 429, headers: { 'retry-after': '2' }, json: { error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } } });
    const busy = await validateOpenAICompatibleKey(openai(), signal());
    assert.equal(busy.status, 'valid');
    assert.match(busy.detail, /rate-limit(ed|ing)/);
  });

  it("uses OpenRouter's GET /key and reads what is left of the key's limit", async () => {
    // Shape from https://openrouter.ai/docs/api/api-reference/api-keys/get-current-key
    upstream.on('GET /api/v1/key', { json: { data: { label: 'sk-or-v1-au7...890', limit: 100, usage: 25.5, limit_remaining: 74.5, limit_reset: 'monthly', is_free_tier: false } } });
    assert.deepEqual(await validateOpenAICompatibleKey(openrouter(), signal()), { status: 'valid', detail: 'Key accepted; $74.50 left of its $100 limit.' });
    assert.equal(upstream.requests[0]?.path, '/api/v1/key');
    upstream.on('GET /api/v1/key', { json: { data: { label: 'x', limit: 10, usage: 10, limit_remaining: 0 } } });
    assert.equal((await validateOpenAICompatibleKey(openrouter(), signal())).status, 'no-credit');
    upstream.on('GET /api/v1/key', { json: { data: { label: 'x', limit: null, usage: 3, limit_remaining: null } } });
    assert.deepEqual(await validateOpenAICompatibleKey(openrouter(), signal()), { status: 'valid', detail: 'Key accepted; it has no spending limit of its own.' });
    upstream.on('GET /api/v1/key', { status: 402, json: { error: { code: 402, message: 'Insufficient credits' } } });
    assert.equal((await validateOpenAICompatibleKey(openrouter(), signal())).status, 'no-credit');
  });

  it('checks Azure with GET /openai/models and the api-key header', async () => {
    upstream.on('GET /openai/models', { json: { data: [{ id: 'gpt-4o', object: 'model' }] } });
    const config: ProviderConfig = { id: 'azure', kind: 'openai-compatible', preset: 'azure', baseUrl: upstream.url, apiKey: 'fedcba9876543210fedcba9876543210' };
    assert.equal((await validateOpenAICompatibleKey(config, signal())).status, 'valid');
    assert.equal(upstream.requests[0]?.headers['api-key'], 'fedcba9876543210fedcba9876543210');
    assert.equal(upstream.requests[0]?.url, '/openai/models?api-version=2024-10-21');
  });

  it('says unreachable when nothing listens, and invalid when no key is set', async () => {
    const gone = upstream.url;
    await upstream.close();
    const verdict = await validateOpenAICompatibleKey({ ...openai(), baseUrl: `${gone}/v1` }, signal());
    assert.equal(verdict.status, 'unreachable');
    assert.match(verdict.detail, /ECONNREFUSED/);
    upstream = await startFakeUpstream();
    assert.equal((await validateOpenAICompatibleKey({ ...openai(), apiKey: undefined }, signal())).status, 'invalid');
    assert.equal(upstream.requests.length, 0);
  });

  it('accepts a local server that needs no key', async () => {
    upstream.on('GET /v1/models', { json: { object: 'list', data: [] } });
    const verdict = await validateOpenAICompatibleKey({ id: 'lmstudio', kind: 'openai-compatible', preset: 'lmstudio', baseUrl: `${upstream.url}/v1` }, signal());
    assert.deepEqual(verdict, { status: 'valid', detail: 'LM Studio answered; it needs no key.' });
  });
});
