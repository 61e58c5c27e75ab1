import type { PerpetuoError } from '../errors/perpetuo-error';

/**
 * Whether an error says something about the endpoint's health, so that it counts in the error
 * rate and towards opening its circuit: the retryable kinds (rate limits, overload, timeouts,
 * network, 5xx, malformed streams). A bad key, a too-long prompt, a content filter or a
 * cancellation is about the request or the user, and never marks an endpoint as failing.
 */
export function isEndpointFault(error: PerpetuoError): boolean {
  return error.isRetryable && error.kind !== 'cancelled';
}
