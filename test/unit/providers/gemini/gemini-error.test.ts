import assert from 'node:assert/strict';
import { mapGeminiError, mapGeminiErrorResponse } from '../../../../src/core/providers/gemini/gemini-error';
import { errorReply } from './gemini-test-support';

function fromFixture(name: string) {
  const reply = errorReply(name);
  return mapGeminiErrorResponse(
    { status: reply.status ?? 0, headers: reply.headers ?? {}, bodyText: JSON.stringify(reply.json) },
    { provider: 'gemini', modelId: 'gemini-2.5-flash' },
  );
}

describe('mapGeminiErrorResponse', () => {
  const cases: Array<[string, string, boolean]> = [
    ['api-key-invalid', 'auth', false],
    ['context-length', 'context-length', false],
    ['invalid-argument', 'invalid-request', false],
    ['failed-precondition', 'payment', false],
    ['location-unsupported', 'permission', false],
    ['permission-denied', 'permission', false],
    ['not-found', 'not-found', false],
    ['rate-limit', 'rate-limit', true],
    ['credits-depleted', 'payment', false],
    ['internal', 'server', true],
    ['unavailable', 'overloaded', true],
    ['deadline', 'timeout', true],
  ];
  for (const [name, kind, retryable] of cases) {
    it(`${name} → ${kind}${retryable ? ' (retryable)' : ''}`, () => {
      const error = fromFixture(name);
      assert.equal(error.kind, kind);
      assert.equal(error.isRetryable, retryable);
      assert.equal(error.provider, 'gemini');
      assert.equal(error.statusCode, errorReply(name).status);
    });
  }

  it('takes the wait from RetryInfo.retryDelay', () => {
    const error = fromFixture('rate-limit');
    assert.equal(error.retryAfterSeconds, 5);
    assert.equal(error.providerCode, 'RESOURCE_EXHAUSTED');
  });

  it('takes the wait from retry-after when the body has no RetryInfo', () => {
    assert.equal(fromFixture('rate-limit-header').retryAfterSeconds, 17);
  });

  it('names the ErrorInfo reason as the provider code and keeps the message', () => {
    const error = fromFixture('api-key-invalid');
    assert.equal(error.providerCode, 'API_KEY_INVALID');
    assert.match(error.message, /API key not valid/);
  });

  it('treats a zero quota as payment, not a wait', () => {
    const error = mapGeminiError(
      {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: 'You exceeded your current quota.',
        details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '0' }] }],
      },
      { httpStatus: 429 },
      { provider: 'gemini' },
    );
    assert.equal(error.kind, 'payment');
    assert.equal(error.isRetryable, false);
  });

  it('falls back to the HTTP status for a body that is not Google JSON', () => {
    const error = mapGeminiErrorResponse({ status: 502, headers: {}, bodyText: '<html>Bad Gateway</html>' }, { provider: 'gemini' });
    assert.equal(error.kind, 'server');
    assert.equal(error.responseBody, '<html>Bad Gateway</html>');
  });

  it('reads the one-element array body of the non-SSE stream endpoint', () => {
    const bodyText = JSON.stringify([{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }]);
    assert.equal(mapGeminiErrorResponse({ status: 429, headers: {}, bodyText }, { provider: 'gemini' }).kind, 'rate-limit');
  });
});
