import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { KeyVerdict, ProviderConfig } from '../provider-config';
import { geminiModelListSchema } from './gemini-api';
import { mapGeminiErrorResponse } from './gemini-error';
import { resolveGeminiConnection } from './resolve-gemini-connection';
import { mapKeyCheckFailure } from '../map-key-check-failure';

/**
 * Checks a key with the cheapest authenticated call, `GET {baseUrl}/models?pageSize=1`, which
 * costs no tokens. Verdicts:
 * - 200 → `valid`;
 * - 400 `API_KEY_INVALID`, 401, 403 → `invalid`;
 * - 429 RESOURCE_EXHAUSTED → `no-credit` when the prepaid credits are depleted or the project has
 *   no quota for the API at all (`payment`); a plain rate limit still proves the key was accepted,
 *   so it is `valid`, with the limit named in the detail;
 * - 400 FAILED_PRECONDITION "enable billing" (free tier not offered in the region) → `no-credit`;
 * - network faults, timeouts, 5xx, a 404, a body that is not the listing, or a base URL we refuse
 *   to call (a wrong base URL) → `unreachable`: the key could not be checked.
 * Never throws.
 * @see https://ai.google.dev/api/models#method:-models.list
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting
 */
export async function validateGeminiKey(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<KeyVerdict> {
  if (!config.apiKey) {
    return { status: 'invalid', detail: 'No Gemini API key is set.' };
  }
  try {
    const { baseUrl, headers } = resolveGeminiConnection(config);
    await fetchJson(
      {
        method: 'GET',
        url: `${baseUrl}/models?pageSize=1`,
        headers,
        provider: config.id,
        schema: geminiModelListSchema,
        mapErrorResponse: (response) => mapGeminiErrorResponse(response, { provider: config.id }),
      },
      signal,
      http,
    );
    return { status: 'valid', detail: 'Gemini accepted the key.' };
  } catch (error) {
    return mapKeyCheckFailure(error, config.id);
  }
}
