import { PerpetuoError } from '../../errors/perpetuo-error';
import { registerSecret } from '../../errors/redact-secrets';
import type { ProviderConfig } from '../provider-config';

/** The Gemini API on Google AI Studio keys. */
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

export interface GeminiConnection {
  /** Without a trailing slash and without a query. */
  baseUrl: string;
  headers: Record<string, string>;
}

/**
 * Base URL and headers for every Gemini call. The key goes only into the `x-goog-api-key`
 * header, never into the URL: a `?key=` query ends up in proxy logs, error messages and stack
 * traces (LiteLLM #8075). For the same reason a configured base URL that carries a query or
 * credentials is refused as a `config` error rather than sent.
 * @see https://ai.google.dev/gemini-api/docs/api-key
 */
export function resolveGeminiConnection(config: ProviderConfig): GeminiConnection {
  const base = (config.baseUrl ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw configError(config, `The base URL of ${config.id} is not a URL.`);
  }
  if (url.search !== '' || url.username !== '' || url.password !== '') {
    throw configError(config, `The base URL of ${config.id} must not carry a query or credentials; the key belongs in the key store, and is sent as a header.`);
  }
  const headers: Record<string, string> = { ...config.headers };
  if (config.apiKey) {
    registerSecret(config.apiKey);
    // Set last, so that a stray configured header cannot replace the key.
    headers['x-goog-api-key'] = config.apiKey;
  }
  return { baseUrl: base, headers };
}

function configError(config: ProviderConfig, message: string): PerpetuoError {
  return new PerpetuoError({ kind: 'config', provider: config.id, message, isRetryable: false });
}
