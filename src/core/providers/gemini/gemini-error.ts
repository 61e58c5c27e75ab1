import type { ErrorKind } from '../../errors/error-kind';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { HttpErrorResponse } from '../../http/http-error-response';
import { mapHttpStatus } from '../../http/map-http-status';
import { parseRetryAfter } from '../../http/parse-retry-after';
import { geminiErrorBodySchema, type GeminiErrorObject } from './gemini-api';

/** Who failed: the provider instance and the model, for the error's fields and message. */
export interface GeminiErrorContext {
  provider: string;
  modelId?: string;
}

// "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576)."
// (google-gemini/gemini-cli#6678), and older wordings about the context window.
const CONTEXT_LENGTH = /input token count.*exceeds|exceeds the maximum number of tokens|context (?:window|length)|prompt is too long/i;
// "API key not valid. Please pass a valid API key." with ErrorInfo reason API_KEY_INVALID.
const BAD_KEY = /API key not valid|API_KEY_INVALID|API key expired/i;
// Prepaid billing ran dry: "Your prepayment credits are depleted. Please go to AI Studio …"
// (a 429 that waiting does not cure).
const NO_CREDIT = /credits are depleted|prepayment credits/i;
// FAILED_PRECONDITION: "Gemini API free tier is not available in your country. Please enable
// billing on your project in Google AI Studio."
const BILLING = /billing/i;
// FAILED_PRECONDITION: "User location is not supported for the API use."
const REGION = /location is not supported|not available in your (?:country|region)/i;

/**
 * Reads a Gemini error by its google.rpc `status` first and the HTTP status second, refining from
 * the message and `details` where one status means several things:
 * - INVALID_ARGUMENT (400): a bad key (`API_KEY_INVALID`) is `auth`; "input token count … exceeds"
 *   is `context-length`; the rest is `invalid-request`.
 * - FAILED_PRECONDITION (400): "free tier not available in your country, enable billing" is
 *   `payment`; a region Gemini does not serve at all is `permission`; others `invalid-request`.
 * - UNAUTHENTICATED (401) `auth`; PERMISSION_DENIED (403) `permission`; NOT_FOUND (404) `not-found`.
 * - RESOURCE_EXHAUSTED (429): `rate-limit` (retryable, `RetryInfo.retryDelay` or `retry-after`
 *   honoured) unless the prepaid credits are depleted or the quota's limit is 0 (the model has no
 *   free tier for this project), which are `payment` and not retryable.
 * - INTERNAL (500) `server`; UNAVAILABLE (503) `overloaded`; DEADLINE_EXCEEDED (504) `timeout`.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting
 * @see https://ai.google.dev/gemini-api/docs/rate-limits
 */
export function mapGeminiError(
  error: GeminiErrorObject | undefined,
  input: { httpStatus?: number; retryAfterSeconds?: number; responseBody?: string },
  context: GeminiErrorContext,
): PerpetuoError {
  const status = error?.status;
  const message = error?.message?.trim() || 'no message';
  const reason = errorInfoReason(error);
  const httpStatus = input.httpStatus ?? error?.code;
  const kind = classify(status, httpStatus, message, reason, error);
  const where = input.httpStatus === undefined ? 'in the stream' : `HTTP ${input.httpStatus}`;
  return new PerpetuoError({
    kind,
    provider: context.provider,
    modelId: context.modelId,
    statusCode: httpStatus,
    retryAfterSeconds: retryDelaySeconds(error) ?? input.retryAfterSeconds,
    responseBody: input.responseBody,
    providerCode: reason ?? status,
    message: `Gemini error ${where}${status ? ` (${status})` : ''}: ${message}`,
  });
}

/**
 * Maps a non-2xx response of any Gemini endpoint, honouring `retry-after` when the body has no
 * `RetryInfo`.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting
 */
export function mapGeminiErrorResponse(response: HttpErrorResponse, context: GeminiErrorContext): PerpetuoError {
  return mapGeminiError(
    readErrorObject(response.bodyText),
    { httpStatus: response.status, retryAfterSeconds: parseRetryAfter(response.headers), responseBody: response.bodyText },
    context,
  );
}

function readErrorObject(bodyText: string): GeminiErrorObject | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined; // an HTML page from a proxy: the HTTP status alone decides
  }
  const parsed = geminiErrorBodySchema.safeParse(json);
  if (!parsed.success) {
    return undefined;
  }
  return Array.isArray(parsed.data) ? parsed.data[0]?.error : parsed.data.error;
}

function classify(
  status: string | undefined,
  httpStatus: number | undefined,
  message: string,
  reason: string | undefined,
  error: GeminiErrorObject | undefined,
): ErrorKind {
  if (reason === 'API_KEY_INVALID' || BAD_KEY.test(message)) {
    return 'auth';
  }
  switch (status) {
    case 'INVALID_ARGUMENT':
      return CONTEXT_LENGTH.test(message) ? 'context-length' : 'invalid-request';
    case 'FAILED_PRECONDITION':
      return BILLING.test(message) ? 'payment' : REGION.test(message) ? 'permission' : 'invalid-request';
    case 'UNAUTHENTICATED':
      return 'auth';
    case 'PERMISSION_DENIED':
      return 'permission';
    case 'NOT_FOUND':
      return 'not-found';
    case 'RESOURCE_EXHAUSTED':
      return NO_CREDIT.test(message) || hasZeroQuota(error) ? 'payment' : 'rate-limit';
    case 'INTERNAL':
      return 'server';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    default:
      break;
  }
  if (httpStatus === undefined) {
    return 'server';
  }
  if (httpStatus === 400 && CONTEXT_LENGTH.test(message)) {
    return 'context-length';
  }
  if (httpStatus === 429 && NO_CREDIT.test(message)) {
    return 'payment';
  }
  return mapHttpStatus(httpStatus);
}

type Detail = NonNullable<GeminiErrorObject['details']>[number];

function detailsOfType(error: GeminiErrorObject | undefined, type: string): Detail[] {
  return (error?.details ?? []).filter((d) => d['@type']?.endsWith(`google.rpc.${type}`));
}

/** `google.rpc.ErrorInfo.reason`, e.g. `API_KEY_INVALID`. */
function errorInfoReason(error: GeminiErrorObject | undefined): string | undefined {
  const reason = detailsOfType(error, 'ErrorInfo')[0]?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** `google.rpc.RetryInfo.retryDelay`, a protobuf Duration in JSON: `"44s"`, `"0.5s"`. */
function retryDelaySeconds(error: GeminiErrorObject | undefined): number | undefined {
  const delay = detailsOfType(error, 'RetryInfo')[0]?.retryDelay;
  if (typeof delay !== 'string') {
    return undefined;
  }
  const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
  return match ? Number(match[1]) : undefined;
}

/** A `QuotaFailure` whose quota is 0: the project may not use this model at all without billing. */
function hasZeroQuota(error: GeminiErrorObject | undefined): boolean {
  return detailsOfType(error, 'QuotaFailure').some((detail) => {
    const violations = Array.isArray(detail.violations) ? (detail.violations as Array<Record<string, unknown>>) : [];
    return violations.some((v) => v.quotaValue === '0' || v.quotaValue === 0);
  });
}
