import type { ErrorKind } from '../../errors/error-kind';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { HttpErrorResponse } from '../../http/http-error-response';
import { mapHttpStatus } from '../../http/map-http-status';
import { parseRetryAfter } from '../../http/parse-retry-after';
import { openAIErrorBodySchema, type OpenAIErrorObject } from './openai-api';

interface ErrorContext {
  provider: string;
  modelId?: string;
}

/**
 * A non-2xx answer → one PerpetuoError: the kind read from the body first (`error.code`,
 * `error.type`, OpenRouter's `metadata.error_type`), the status second; `retry-after` kept.
 * @see https://platform.openai.com/docs/guides/error-codes
 * @see https://openrouter.ai/docs/api/reference/errors-and-debugging
 */
export function mapOpenAIErrorResponse(response: HttpErrorResponse, context: ErrorContext): PerpetuoError {
  const error = readErrorObject(response.bodyText);
  const detail = error?.message ?? (response.bodyText.trim().slice(0, 300) || 'no details');
  return new PerpetuoError({
    kind: classifyOpenAIError(error, response.status),
    provider: context.provider,
    modelId: context.modelId,
    statusCode: response.status,
    retryAfterSeconds: parseRetryAfter(response.headers),
    responseBody: response.bodyText,
    providerCode: providerCodeOf(error),
    message: `${context.provider} answered HTTP ${response.status}: ${detail}`,
  });
}

/**
 * An error that arrives inside a 200 stream (OpenRouter after the first token: `error{code,
 * message, metadata.error_type}` with `finish_reason:"error"`). `code` may be a number (an HTTP
 * status) or a string (`server_error`); both are read.
 * @see https://openrouter.ai/docs/api/reference/streaming#handling-errors-during-streaming
 */
export function mapOpenAIStreamError(error: OpenAIErrorObject, raw: string, context: ErrorContext): PerpetuoError {
  return new PerpetuoError({
    kind: classifyOpenAIError(error, undefined),
    provider: context.provider,
    modelId: context.modelId,
    statusCode: typeof error.code === 'number' ? error.code : undefined,
    responseBody: raw,
    providerCode: providerCodeOf(error),
    message: `${context.provider} failed mid-stream: ${error.message ?? 'no details'}`,
  });
}

/** OpenRouter's typed `metadata.error_type` values. */
const OPENROUTER_ERROR_TYPES = new Map<string, ErrorKind>(Object.entries({
  context_length_exceeded: 'context-length',
  max_tokens_exceeded: 'context-length',
  token_limit_exceeded: 'context-length',
  authentication: 'auth',
  permission_denied: 'permission',
  payment_required: 'payment',
  rate_limit_exceeded: 'rate-limit',
  provider_overloaded: 'overloaded',
  provider_unavailable: 'server',
  invalid_request: 'invalid-request',
  invalid_prompt: 'invalid-request',
  payload_too_large: 'invalid-request',
  not_found: 'not-found',
  content_policy_violation: 'content-filter',
  refusal: 'content-filter',
  server: 'server',
  timeout: 'timeout',
} satisfies Record<string, ErrorKind>));

/** `error.code` / `error.type` strings of OpenAI, Azure, Groq, Mistral, DeepSeek and local servers. */
const ERROR_CODES = new Map<string, ErrorKind>(Object.entries({
  context_length_exceeded: 'context-length',
  string_above_max_length: 'context-length',
  insufficient_quota: 'payment',
  billing_hard_limit_reached: 'payment',
  rate_limit_exceeded: 'rate-limit',
  rate_limit_error: 'rate-limit',
  content_filter: 'content-filter',
  content_policy_violation: 'content-filter',
  invalid_api_key: 'auth',
  authentication_error: 'auth',
  model_not_found: 'not-found',
  DeploymentNotFound: 'not-found',
  server_error: 'server',
  overloaded: 'overloaded',
  service_unavailable: 'overloaded',
} satisfies Record<string, ErrorKind>));

const CONTEXT_LENGTH_MESSAGE = /context (length|window)|maximum context|too many tokens|prompt is too long|reduce the length/i;

function classifyOpenAIError(error: OpenAIErrorObject | undefined, status: number | undefined): ErrorKind {
  const byErrorType = OPENROUTER_ERROR_TYPES.get(error?.metadata?.error_type ?? '');
  if (byErrorType) {
    return byErrorType;
  }
  for (const word of [error?.code, error?.type]) {
    const byCode = typeof word === 'string' ? ERROR_CODES.get(word) : undefined;
    if (byCode) {
      return byCode;
    }
  }
  if ((status === 400 || status === 413) && error?.message && CONTEXT_LENGTH_MESSAGE.test(error.message)) {
    return 'context-length';
  }
  if (status !== undefined) {
    return mapHttpStatus(status);
  }
  // In-band: OpenRouter's numeric code is the HTTP status the error would have had.
  return typeof error?.code === 'number' && error.code >= 400 && error.code < 600 ? mapHttpStatus(error.code) : 'server';
}

function readErrorObject(bodyText: string): OpenAIErrorObject | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = openAIErrorBodySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function providerCodeOf(error: OpenAIErrorObject | undefined): string | undefined {
  const code = error?.metadata?.error_type ?? error?.code ?? error?.type;
  return code === undefined || code === null ? undefined : String(code);
}
