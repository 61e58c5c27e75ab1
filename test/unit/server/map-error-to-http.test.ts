import assert from 'node:assert/strict';
import { type ErrorKind, PerpetuoError } from '../../../src/core/errors';
import { EndpointRejection } from '../../../src/server/endpoint-rejection';
import { mapErrorToHttp } from '../../../src/server/map-error-to-http';
import { renderErrorBody } from '../../../src/server/render-error-body';

describe('mapErrorToHttp', () => {
  const table: Array<[ErrorKind, number, string, string]> = [
    ['auth', 401, 'authentication', 'authentication_error'],
    ['permission', 403, 'permission_denied', 'permission_error'],
    ['payment', 402, 'payment_required', 'billing_error'],
    ['budget', 402, 'budget_exceeded', 'billing_error'],
    ['policy', 403, 'permission_denied', 'permission_error'],
    ['rate-limit', 429, 'rate_limit_exceeded', 'rate_limit_error'],
    ['overloaded', 503, 'provider_overloaded', 'overloaded_error'],
    ['timeout', 504, 'timeout', 'timeout_error'],
    ['network', 502, 'provider_unavailable', 'api_error'],
    ['context-length', 400, 'context_length_exceeded', 'invalid_request_error'],
    ['content-filter', 403, 'content_policy_violation', 'permission_error'],
    ['invalid-request', 400, 'invalid_request', 'invalid_request_error'],
    ['not-found', 404, 'not_found', 'not_found_error'],
    ['server', 502, 'provider_unavailable', 'api_error'],
    ['malformed-response', 502, 'provider_unavailable', 'api_error'],
    ['cancelled', 499, 'cancelled', 'api_error'],
    ['no-eligible-model', 404, 'no_eligible_model', 'not_found_error'],
    ['config', 500, 'server', 'api_error'],
  ];
  for (const [kind, status, errorType, anthropicType] of table) {
    it(`maps ${kind} to ${status}`, () => {
      const mapped = mapErrorToHttp(new PerpetuoError({ kind, message: 'm', isRetryable: false }));
      assert.deepEqual([mapped.status, mapped.errorType, mapped.anthropicType], [status, errorType, anthropicType]);
    });
  }

  it('maps a retryable no-eligible-model to 503 and keeps retry-after', () => {
    const mapped = mapErrorToHttp(new PerpetuoError({ kind: 'no-eligible-model', message: 'm', isRetryable: true, retryAfterSeconds: 30 }));
    assert.equal(mapped.status, 503);
    assert.equal(mapped.retryAfterSeconds, 30);
  });

  it('maps the endpoint’s own rejections and anything else thrown, redacting keys', () => {
    const rejection = mapErrorToHttp(new EndpointRejection({ status: 413, errorType: 'payload_too_large', message: 'big' }));
    assert.deepEqual([rejection.status, rejection.anthropicType], [413, 'request_too_large']);
    const unknown = mapErrorToHttp(new Error('failed with key sk-ant-api03-abcdefghijklmnop'));
    assert.equal(unknown.status, 500);
    assert.doesNotMatch(unknown.message, /abcdefghijklmnop/);
  });

  it('renders each API’s error shape', () => {
    const mapped = mapErrorToHttp(new PerpetuoError({ kind: 'budget', message: 'Spent.', provider: 'openai' }));
    assert.deepEqual(renderErrorBody('anthropic', mapped, 'gen-1'), { type: 'error', error: { type: 'billing_error', message: 'Spent.' }, request_id: 'gen-1' });
    assert.deepEqual(renderErrorBody('openai', mapped), {
      error: { message: 'Spent.', type: 'insufficient_quota', code: 'budget_exceeded', param: null, metadata: { error_type: 'budget_exceeded', provider_name: 'openai' } },
    });
  });
});
