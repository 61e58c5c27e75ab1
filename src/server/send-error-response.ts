import type { ServerResponse } from 'node:http';
import { mapErrorToHttp, type HttpError } from './map-error-to-http';
import { renderErrorBody, type ApiDialect } from './render-error-body';
import { sendJsonResponse } from './send-json-response';

/**
 * Answers a failure with a real status and the API's own error body: the path every error takes
 * before a response is committed. Returns the mapped error for the caller's log line.
 */
export function sendErrorResponse(
  response: ServerResponse,
  dialect: ApiDialect,
  error: unknown,
  headers: Record<string, string> = {},
  decisionId?: string,
): HttpError {
  const mapped = mapErrorToHttp(error);
  const allHeaders = { ...headers };
  if (mapped.retryAfterSeconds !== undefined) {
    allHeaders['retry-after'] = String(Math.max(1, Math.ceil(mapped.retryAfterSeconds)));
  }
  sendJsonResponse(response, mapped.status, renderErrorBody(dialect, mapped, decisionId), allHeaders);
  return mapped;
}
