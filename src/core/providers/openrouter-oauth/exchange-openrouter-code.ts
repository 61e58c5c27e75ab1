import { z } from 'zod';
import { registerSecret } from '../../errors/redact-secrets';
import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import { mapOpenAIErrorResponse } from '../openai-compatible/openai-error';

/** OpenRouter's API base; tests point it at a fake server on 127.0.0.1. */
export const OPENROUTER_API_BASE = 'https://openrouter.ai/api/v1';

/** The exchange answers `{ key, user_id? }`; only the key matters to us. */
const exchangeResponseSchema = z.looseObject({ key: z.string().min(1) });

/**
 * Trades the one-time `code` from the sign-in callback, with the verifier whose challenge started
 * the sign-in, for a user-controlled OpenRouter API key. The key is returned, never logged; errors
 * are PerpetuoErrors whose text is redacted.
 * @see https://openrouter.ai/docs/guides/overview/auth/oauth
 */
export async function exchangeOpenRouterCode(
  options: { code: string; codeVerifier: string; apiBase?: string },
  signal: AbortSignal,
  http: HttpOptions = {},
): Promise<string> {
  const context = { provider: 'openrouter' };
  const { key } = await fetchJson(
    {
      method: 'POST',
      url: `${(options.apiBase ?? OPENROUTER_API_BASE).replace(/\/+$/, '')}/auth/keys`,
      headers: {},
      body: { code: options.code, code_verifier: options.codeVerifier, code_challenge_method: 'S256' },
      schema: exchangeResponseSchema,
      ...context,
      mapErrorResponse: (response) => mapOpenAIErrorResponse(response, context),
    },
    signal,
    http,
  );
  // From here on the key is scrubbed from any log or error text, whatever its shape.
  registerSecret(key);
  return key;
}
