import { type ErrorKind, PerpetuoError, redactSecrets } from '../core/errors';
import { EndpointRejection } from './endpoint-rejection';

/** An error as the endpoint sends it: one status and one vocabulary, rendered per API by the caller. */
export interface HttpError {
  status: number;
  /** OpenRouter `error.metadata.error_type`, also our `error.code`. */
  errorType: string;
  /** OpenAI `error.type`. */
  openaiType: string;
  /** Anthropic `error.type`. */
  anthropicType: string;
  message: string;
  retryAfterSeconds?: number;
  param?: string;
  /** Provider that failed, when core named one. */
  provider?: string;
}

/**
 * Kind → status, following OpenRouter's status table, with two choices of ours:
 * - `budget` is 402, not 429: a spend cap does not lift by retrying in a second, and the
 *   official SDKs retry 429 on their own (burning the window again), while they never retry 402.
 * - `no-eligible-model` is 404 when the request's own constraints leave no model (not
 *   retryable: asking again cannot help) and 503 when models exist but none is available now.
 * @see https://openrouter.ai/docs/api-reference/errors
 */
const KIND_TO_HTTP: Record<ErrorKind, { status: number; errorType: string }> = {
  auth: { status: 401, errorType: 'authentication' },
  permission: { status: 403, errorType: 'permission_denied' },
  payment: { status: 402, errorType: 'payment_required' },
  budget: { status: 402, errorType: 'budget_exceeded' },
  policy: { status: 403, errorType: 'permission_denied' },
  'rate-limit': { status: 429, errorType: 'rate_limit_exceeded' },
  overloaded: { status: 503, errorType: 'provider_overloaded' },
  timeout: { status: 504, errorType: 'timeout' },
  network: { status: 502, errorType: 'provider_unavailable' },
  'context-length': { status: 400, errorType: 'context_length_exceeded' },
  'content-filter': { status: 403, errorType: 'content_policy_violation' },
  'invalid-request': { status: 400, errorType: 'invalid_request' },
  'not-found': { status: 404, errorType: 'not_found' },
  server: { status: 502, errorType: 'provider_unavailable' },
  'malformed-response': { status: 502, errorType: 'provider_unavailable' },
  cancelled: { status: 499, errorType: 'cancelled' },
  'no-eligible-model': { status: 404, errorType: 'no_eligible_model' },
  config: { status: 500, errorType: 'server' },
};

/**
 * OpenAI's and Anthropic's own `type` words follow from the status.
 * @see https://docs.anthropic.com/en/api/errors
 * @see https://platform.openai.com/docs/guides/error-codes
 */
function typesForStatus(status: number): { openaiType: string; anthropicType: string } {
  switch (status) {
    case 400:
    case 405:
    case 421:
      return { openaiType: 'invalid_request_error', anthropicType: 'invalid_request_error' };
    case 401:
      return { openaiType: 'authentication_error', anthropicType: 'authentication_error' };
    case 402:
      return { openaiType: 'insufficient_quota', anthropicType: 'billing_error' };
    case 403:
      return { openaiType: 'permission_error', anthropicType: 'permission_error' };
    case 404:
      return { openaiType: 'not_found_error', anthropicType: 'not_found_error' };
    case 413:
      return { openaiType: 'invalid_request_error', anthropicType: 'request_too_large' };
    case 429:
      return { openaiType: 'rate_limit_error', anthropicType: 'rate_limit_error' };
    case 503:
      return { openaiType: 'server_error', anthropicType: 'overloaded_error' };
    case 504:
      return { openaiType: 'timeout_error', anthropicType: 'timeout_error' };
    default:
      return { openaiType: 'server_error', anthropicType: 'api_error' };
  }
}

/**
 * The endpoint's one error mapper: every failure, from core or from the endpoint's own checks,
 * becomes an HTTP status plus the words each API uses. Anything else thrown is an internal fault
 * (500) whose message is redacted.
 */
export function mapErrorToHttp(error: unknown): HttpError {
  if (error instanceof EndpointRejection) {
    return {
      status: error.status,
      errorType: error.errorType,
      ...typesForStatus(error.status),
      message: redactSecrets(error.message),
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      ...(error.param === undefined ? {} : { param: error.param }),
    };
  }
  if (error instanceof PerpetuoError) {
    const mapped = KIND_TO_HTTP[error.kind];
    const status = error.kind === 'no-eligible-model' && error.isRetryable ? 503 : mapped.status;
    return {
      status,
      errorType: mapped.errorType,
      ...typesForStatus(status),
      message: error.message,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
      ...(error.provider === undefined ? {} : { provider: error.provider }),
    };
  }
  return {
    status: 500,
    errorType: 'server',
    ...typesForStatus(500),
    message: redactSecrets(error instanceof Error ? error.message : String(error)),
  };
}
