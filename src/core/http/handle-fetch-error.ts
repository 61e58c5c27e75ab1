import { PerpetuoError } from '../errors/perpetuo-error';

/**
 * Turns what undici throws (abort, timeouts, refused or reset sockets) into a PerpetuoError.
 * `aborted` tells whether *our caller* cancelled, which is not the provider's fault.
 */
export function handleFetchError(error: unknown, context: { provider: string; modelId?: string; aborted: boolean }): PerpetuoError {
  if (error instanceof PerpetuoError) {
    return error;
  }
  const base = { provider: context.provider, modelId: context.modelId, cause: error };
  if (context.aborted) {
    return new PerpetuoError({ ...base, kind: 'cancelled', message: `Request to ${context.provider} was cancelled.`, isRetryable: false });
  }
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new PerpetuoError({ ...base, kind: 'timeout', message: `${context.provider} did not answer in time (${code}).` });
  }
  return new PerpetuoError({
    ...base,
    kind: 'network',
    message: `Could not reach ${context.provider}: ${message}${code ? ` (${code})` : ''}.`,
  });
}
