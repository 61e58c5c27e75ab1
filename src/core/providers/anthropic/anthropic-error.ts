import type { ErrorKind } from '../../errors/error-kind';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { HttpErrorResponse } from '../../http/http-error-response';
import { mapHttpStatus } from '../../http/map-http-status';
import { parseRetryAfter } from '../../http/parse-retry-after';
import { anthropicErrorBodySchema } from './anthropic-api';

/** Who failed: the provider instance and the model, for the error's fields and message. */
export interface AnthropicErrorContext {
  provider: string;
  modelId?: string;
}

/** An Anthropic error object, from an HTTP error body or an `event: error` inside a 200 stream. */
export interface AnthropicErrorInput {
  /** `error.type`, e.g. `overloaded_error`; undefined when the body was not Anthropic's shape. */
  type: string | undefined;
  message: string | undefined;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  detailCode?: string;
  /** Undefined for an error inside a stream (which arrives with HTTP 200). */
  status?: number;
  retryAfterSeconds?: number;
  responseBody?: string;
}

// "prompt is too long: 210000 tokens > 200000 maximum", "input length and `max_tokens` exceed
// context limit: 188240 + 21333 > 200000, …"
const CONTEXT_LENGTH = /prompt is too long|exceed(?:s|ed)? (?:the )?context (?:limit|window)|context window/i;
// "Your credit balance is too low to access the Anthropic API." and the spend limit a user set:
// "You have reached your specified (workspace) API usage limits" — both come as a 400.
const NO_CREDIT = /credit balance is too low|reached your specified (?:workspace )?API usage limits/i;

/**
 * Reads an Anthropic error by its `error.type` first and the HTTP status second.
 * - `invalid_request_error` (400) is refined from its message: context length, or no credit
 *   (Anthropic reports an empty balance and a user-set spend limit as a 400, not a 402).
 * - `rate_limit_error` (429) with `details.error_code: enforced_spend_limit_reached` is the
 *   monthly spend cap of the usage tier: waiting does not help, so it is `payment`, not retryable.
 * - `overloaded_error` (529, or inside a 200 stream) is `overloaded` and retryable.
 * @see https://platform.claude.com/docs/en/api/errors
 */
export function mapAnthropicError(input: AnthropicErrorInput, context: AnthropicErrorContext): PerpetuoError {
  const kind = classify(input);
  const where = input.status === undefined ? 'in the stream' : `HTTP ${input.status}`;
  const text = input.message?.trim() || 'no message';
  return new PerpetuoError({
    kind,
    provider: context.provider,
    modelId: context.modelId,
    statusCode: input.status,
    retryAfterSeconds: input.retryAfterSeconds,
    responseBody: input.responseBody,
    providerCode: input.type,
    message: `Anthropic error ${where}${input.type ? ` (${input.type})` : ''}: ${text}`,
  });
}

/**
 * Maps a non-2xx response of any Anthropic endpoint, honouring `retry-after`.
 * @see https://platform.claude.com/docs/en/api/errors
 */
export function mapAnthropicErrorResponse(response: HttpErrorResponse, context: AnthropicErrorContext): PerpetuoError {
  let json: unknown;
  try {
    json = JSON.parse(response.bodyText);
  } catch {
    json = undefined;
  }
  const parsed = anthropicErrorBodySchema.safeParse(json);
  const error = parsed.success ? parsed.data.error : undefined;
  return mapAnthropicError(
    {
      type: error?.type,
      message: error?.message ?? (response.bodyText.slice(0, 200) || undefined),
      detailCode: error?.details?.error_code,
      status: response.status,
      retryAfterSeconds: parseRetryAfter(response.headers),
      responseBody: response.bodyText,
    },
    context,
  );
}

function classify(input: AnthropicErrorInput): ErrorKind {
  const message = input.message ?? '';
  switch (input.type) {
    case 'invalid_request_error':
      if (CONTEXT_LENGTH.test(message)) {
        return 'context-length';
      }
      return NO_CREDIT.test(message) ? 'payment' : 'invalid-request';
    case 'authentication_error':
      return 'auth';
    case 'permission_error':
      return 'permission';
    case 'not_found_error':
      return 'not-found';
    case 'request_too_large':
      return 'invalid-request';
    case 'rate_limit_error':
      return input.detailCode === 'enforced_spend_limit_reached' ? 'payment' : 'rate-limit';
    case 'billing_error':
      return 'payment';
    case 'api_error':
      return 'server';
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
      return 'timeout';
    default:
      // An unknown type, or a body that is not Anthropic's (a proxy's HTML page): trust the status.
      return input.status === undefined ? 'server' : mapHttpStatus(input.status);
  }
}
