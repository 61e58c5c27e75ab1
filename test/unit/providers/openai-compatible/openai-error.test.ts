import assert from 'node:assert/strict';
import { mapOpenAIFinishReason } from '../../../../src/core/providers/openai-compatible/map-openai-finish-reason';
import { mapOpenAIErrorResponse, mapOpenAIStreamError } from '../../../../src/core/providers/openai-compatible/openai-error';

const context = { provider: 'openai', modelId: 'gpt-4o' };

function mapped(status: number, body: unknown, headers: Record<string, string> = {}) {
  return mapOpenAIErrorResponse({ status, headers, bodyText: typeof body === 'string' ? body : JSON.stringify(body) }, context);
}

describe('mapOpenAIErrorResponse', () => {
  it('reads the kind from error.code before the status', () => {
    const quota = mapped(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    assert.equal(quota.kind, 'payment');
    assert.equal(quota.isRetryable, false);
    assert.equal(quota.providerCode, 'insufficient_quota');
    const context400 = mapped(400, { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
    assert.equal(context400.kind, 'context-length');
    const filtered = mapped(400, { error: { message: 'The response was filtered', type: null, param: 'prompt', code: 'content_filter', status: 400 } });
    assert.equal(filtered.kind, 'content-filter');
  });

  it('recognises a context-length 400 from its message when no code says so', () => {
    assert.equal(mapped(400, { error: { message: 'Please reduce the length of the messages or completion.' } }).kind, 'context-length');
    assert.equal(mapped(400, { error: { message: 'Unknown parameter: foo' } }).kind, 'invalid-request');
  });

  it("prefers OpenRouter's metadata.error_type", () => {
    const error = mapped(400, { error: { code: 400, message: 'prompt too long', metadata: { error_type: 'context_length_exceeded' } } });
    assert.equal(error.kind, 'context-length');
    assert.equal(error.providerCode, 'context_length_exceeded');
  });

  it('honours retry-after and maps statuses without a body', () => {
    const limited = mapped(429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '17' });
    assert.equal(limited.kind, 'rate-limit');
    assert.equal(limited.retryAfterSeconds, 17);
    assert.equal(limited.isRetryable, true);
    assert.equal(mapped(401, '').kind, 'auth');
    assert.equal(mapped(402, { error: { code: 402, message: 'Insufficient credits' } }).kind, 'payment');
    assert.equal(mapped(503, '<html>bad gateway</html>').kind, 'overloaded');
    assert.match(mapped(502, '<html>bad gateway</html>').message, /HTTP 502: <html>bad gateway/);
  });

  it('reads the string and vLLM error shapes', () => {
    assert.match(mapped(404, { error: 'model "llama9" not found, try pulling it first' }).message, /llama9/);
    const vllm = mapped(400, { object: 'error', message: 'maximum context length is 4096 tokens', type: 'BadRequestError', code: 400 });
    assert.equal(vllm.kind, 'context-length');
  });
});

describe('mapOpenAIStreamError', () => {
  it('maps an in-band error with a number or a string code', () => {
    const numeric = mapOpenAIStreamError({ code: 502, message: 'Provider disconnected' }, '{}', context);
    assert.equal(numeric.kind, 'server');
    assert.equal(numeric.statusCode, 502);
    const overloaded = mapOpenAIStreamError({ code: 'server_error', message: 'x', metadata: { error_type: 'provider_overloaded' } }, '{}', context);
    assert.equal(overloaded.kind, 'overloaded');
    assert.equal(mapOpenAIStreamError({ code: 'server_error', message: 'x' }, '{}', context).kind, 'server');
    assert.equal(mapOpenAIStreamError({ code: 429, message: 'x' }, '{}', context).kind, 'rate-limit');
  });
});

describe('mapOpenAIFinishReason', () => {
  it('maps every documented reason and keeps the raw word', () => {
    assert.deepEqual(
      ['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'error', 'eos', null].map((r) => mapOpenAIFinishReason(r)),
      [
        { unified: 'stop', raw: 'stop' },
        { unified: 'length', raw: 'length' },
        { unified: 'tool-calls', raw: 'tool_calls' },
        { unified: 'tool-calls', raw: 'function_call' },
        { unified: 'content-filter', raw: 'content_filter' },
        { unified: 'error', raw: 'error' },
        { unified: 'other', raw: 'eos' },
        { unified: 'other', raw: undefined },
      ],
    );
  });
});
