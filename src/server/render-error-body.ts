import type { HttpError } from './map-error-to-http';

/** Which API's shapes a route speaks: OpenAI (chat completions, responses, models) or Anthropic (messages). */
export type ApiDialect = 'openai' | 'anthropic';

/**
 * An error body in the API's own shape, so that the official clients raise their own typed
 * errors: OpenAI `{error:{message,type,code,param}}` (plus OpenRouter's `metadata.error_type`),
 * Anthropic `{type:'error', error:{type,message}}`.
 * @see https://openrouter.ai/docs/api-reference/errors
 * @see https://docs.anthropic.com/en/api/errors
 */
export function renderErrorBody(dialect: ApiDialect, error: HttpError, decisionId?: string): Record<string, unknown> {
  if (dialect === 'anthropic') {
    return {
      type: 'error',
      error: { type: error.anthropicType, message: error.message },
      ...(decisionId === undefined ? {} : { request_id: decisionId }),
    };
  }
  return {
    error: {
      message: error.message,
      type: error.openaiType,
      code: error.errorType,
      param: error.param ?? null,
      metadata: {
        error_type: error.errorType,
        ...(error.provider === undefined ? {} : { provider_name: error.provider }),
        ...(decisionId === undefined ? {} : { decision_id: decisionId }),
      },
    },
  };
}
