import assert from 'node:assert/strict';
import { mapAnthropicErrorResponse } from '../../../../src/core/providers/anthropic';

const context = { provider: 'anthropic', modelId: 'claude-sonnet-4-5' };
const reply = (status: number, type: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  mapAnthropicErrorResponse({ status, headers, bodyText: JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: 'req_1' }) }, context);

describe('mapAnthropicErrorResponse', () => {
  const cases: Array<[number, string, string, string, boolean]> = [
    [400, 'invalid_request_error', 'messages: roles must alternate between "user" and "assistant"', 'invalid-request', false],
    [400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', 'context-length', false],
    [400, 'invalid_request_error', 'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again', 'context-length', false],
    [400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.', 'payment', false],
    [400, 'invalid_request_error', 'You have reached your specified API usage limits. You will regain access on 2026-10-01 at 00:00 UTC.', 'payment', false],
    [401, 'authentication_error', 'invalid x-api-key', 'auth', false],
    [402, 'billing_error', 'Billing error', 'payment', false],
    [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'permission', false],
    [404, 'not_found_error', 'model: claude-nope', 'not-found', false],
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'invalid-request', false],
    [429, 'rate_limit_error', 'Number of requests has exceeded your rate limit', 'rate-limit', true],
    [500, 'api_error', 'Internal server error', 'server', true],
    [504, 'timeout_error', 'Request timed out', 'timeout', true],
    [529, 'overloaded_error', 'Overloaded', 'overloaded', true],
  ];
  for (const [status, type, message, kind, retryable] of cases) {
    it(`${status} ${type}${kind === 'context-length' || kind === 'payment' ? ` "${message.slice(0, 30)}…"` : ''} → ${kind}`, () => {
      const error = reply(status, type, message);
      assert.deepEqual([error.kind, error.isRetryable, error.statusCode, error.providerCode], [kind, retryable, status, type]);
    });
  }

  it('reads the tier spend cap (a 429 with enforced_spend_limit_reached) as payment, not a rate limit', () => {
    const error = reply(429, 'rate_limit_error', 'monthly spend limit', { details: { error_code: 'enforced_spend_limit_reached' } });
    assert.deepEqual([error.kind, error.isRetryable], ['payment', false]);
  });

  it('keeps retry-after in seconds', () => {
    assert.equal(reply(529, 'overloaded_error', 'Overloaded', {}, { 'retry-after': '3' }).retryAfterSeconds, 3);
  });

  it('falls back to the status for a body that is not Anthropic’s', () => {
    const error = mapAnthropicErrorResponse({ status: 502, headers: {}, bodyText: '<html>Bad gateway</html>' }, context);
    assert.deepEqual([error.kind, error.isRetryable], ['server', true]);
    assert.match(error.message, /Bad gateway/);
  });
});
