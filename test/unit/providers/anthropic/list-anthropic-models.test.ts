import assert from 'node:assert/strict';
import { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { listAnthropicModels, validateAnthropicKey } from '../../../../src/core/providers/anthropic';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../../../support/fake-upstream';
import { anthropicConfig, PLANTED_KEY } from './collect-stream-parts';

const signal = () => new AbortController().signal;
const model = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'model', display_name: `Name of ${id}`, created_at: '2025-09-29T00:00:00Z', ...extra });
const query = (request: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(request?.url.split('?')[1] ?? ''));

describe('listAnthropicModels', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('follows the after_id cursor until has_more is false, mapping limits and modalities', async () => {
    const pages: Record<string, unknown> = {
      '': {
        data: [
          model('claude-opus-4-6', { max_input_tokens: 1_000_000, max_tokens: 128_000, capabilities: { image_input: { supported: true }, pdf_input: { supported: true }, batch: { supported: true } } }),
          model('claude-haiku-4-5-20251001'),
        ],
        has_more: true,
        first_id: 'claude-opus-4-6',
        last_id: 'claude-haiku-4-5-20251001',
      },
      'claude-haiku-4-5-20251001': {
        data: [model('claude-3-haiku-20240307', { capabilities: { image_input: { supported: true }, pdf_input: { supported: false } } })],
        has_more: false,
        first_id: 'claude-3-haiku-20240307',
        last_id: 'claude-3-haiku-20240307',
      },
    };
    upstream.on('GET /v1/models', (req) => ({ json: pages[query(req).after_id ?? ''] }));
    const models = await listAnthropicModels(anthropicConfig(upstream.url), signal());
    assert.deepEqual(models, [
      { id: 'claude-opus-4-6', displayName: 'Name of claude-opus-4-6', contextLength: 1_000_000, maxOutputTokens: 128_000, inputModalities: ['text', 'image', 'file'] },
      { id: 'claude-haiku-4-5-20251001', displayName: 'Name of claude-haiku-4-5-20251001' },
      { id: 'claude-3-haiku-20240307', displayName: 'Name of claude-3-haiku-20240307', inputModalities: ['text', 'image'] },
    ]);
    assert.deepEqual(upstream.requests.map(query), [{ limit: '1000' }, { limit: '1000', after_id: 'claude-haiku-4-5-20251001' }]);
    assert.equal(upstream.requests[0]?.headers['x-api-key'], PLANTED_KEY);
    assert.equal(upstream.requests[0]?.headers['anthropic-version'], '2023-06-01');
    assert.doesNotMatch(upstream.requests.map((r) => r.url).join(' '), /PLANTED/);
  });

  it('stops with an error when has_more is true but the cursor does not move', async () => {
    upstream.on('GET /v1/models', { json: { data: [model('a')], has_more: true, first_id: 'a', last_id: 'a' } });
    await assert.rejects(listAnthropicModels(anthropicConfig(upstream.url), signal()), (error: unknown) => PerpetuoError.is(error) && error.kind === 'malformed-response');
    assert.equal(upstream.requests.length, 2);
  });

  it('rejects a page in the wrong shape with the field that failed', async () => {
    upstream.on('GET /v1/models', { json: { models: [] } });
    await assert.rejects(listAnthropicModels(anthropicConfig(upstream.url), signal()), /data/);
  });
});

describe('validateAnthropicKey', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  const verdictFor = async (reply: Parameters<FakeUpstream['on']>[1]) => {
    upstream.on('GET /v1/models', reply);
    return validateAnthropicKey(anthropicConfig(upstream.url), signal());
  };
  const error = (status: number, type: string, message: string) => ({ status, json: { type: 'error', error: { type, message } } });

  it('calls GET /v1/models?limit=1 and reads a 200 as valid', async () => {
    const verdict = await verdictFor({ json: { data: [model('claude-opus-4-6')], has_more: true, first_id: 'claude-opus-4-6', last_id: 'claude-opus-4-6' } });
    assert.equal(verdict.status, 'valid');
    assert.deepEqual([upstream.requests[0]?.path, query(upstream.requests[0])], ['/v1/models', { limit: '1' }]);
  });

  it('reads 401 as invalid, without the key in the detail', async () => {
    const verdict = await verdictFor(error(401, 'authentication_error', `invalid x-api-key ${PLANTED_KEY}`));
    assert.equal(verdict.status, 'invalid');
    assert.doesNotMatch(verdict.detail, /PLANTED/);
  });

  it('reads a billing error, 402 or the 400 "credit balance is too low", as no-credit', async () => {
    assert.equal((await verdictFor(error(402, 'billing_error', 'Billing error'))).status, 'no-credit');
    const low = await verdictFor(error(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'));
    assert.equal(low.status, 'no-credit');
  });

  it('reads a rate limit as valid and an overload as unreachable', async () => {
    assert.equal((await verdictFor(error(429, 'rate_limit_error', 'slow down'))).status, 'valid');
    assert.equal((await verdictFor(error(529, 'overloaded_error', 'Overloaded'))).status, 'unreachable');
  });

  it('reads a refused connection as unreachable', async () => {
    const verdict = await validateAnthropicKey(anthropicConfig('http://127.0.0.1:9'), signal());
    assert.equal(verdict.status, 'unreachable');
    assert.doesNotMatch(verdict.detail, /PLANTED/);
  });

  it('reads a missing key as invalid without calling out', async () => {
    const verdict = await validateAnthropicKey({ ...anthropicConfig(upstream.url), apiKey: undefined }, signal());
    assert.equal(verdict.status, 'invalid');
    assert.equal(upstream.requests.length, 0);
  });
});
