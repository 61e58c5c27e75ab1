import type { HttpOptions } from '../../http/http-options';
import type { KeyVerdict, ProviderConfig } from '../provider-config';
import { fetchAnthropicModelsPage } from './list-anthropic-models';
import { mapKeyCheckFailure } from '../map-key-check-failure';

/**
 * Checks a key with the cheapest authenticated call there is, `GET /v1/models?limit=1` (no
 * tokens, no cost). 401 → invalid; 403 → invalid for this use; a billing error (402
 * `billing_error`, or the 400 "credit balance is too low") → no-credit; a network fault, a
 * timeout or Anthropic's own trouble (5xx, 529) → unreachable. A 429 proves the key
 * authenticated, so it is valid. Cancelling `signal` rejects with a `cancelled` PerpetuoError.
 * @see https://platform.claude.com/docs/en/api/models/list
 * @see https://platform.claude.com/docs/en/api/errors
 */
export async function validateAnthropicKey(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<KeyVerdict> {
  if (!config.apiKey) {
    return { status: 'invalid', detail: `No API key is set for ${config.id}.` };
  }
  try {
    await fetchAnthropicModelsPage(config, new URLSearchParams({ limit: '1' }), signal, http);
    return { status: 'valid', detail: `${config.id} accepted the key.` };
  } catch (error) {
    return mapKeyCheckFailure(error, config.id);
  }
}
