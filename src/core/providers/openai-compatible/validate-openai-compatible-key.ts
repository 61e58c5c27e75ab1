import { z } from 'zod';
import { PerpetuoError } from '../../errors/perpetuo-error';
import { registerSecret } from '../../errors/redact-secrets';
import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { KeyVerdict, ProviderConfig } from '../provider-config';
import { openRouterKeySchema } from './openai-api';
import { resolveOpenAICompatiblePreset } from './openai-compatible-presets';
import { mapOpenAIErrorResponse } from './openai-error';
import { resolveOpenAICompatibleEndpoint, type OpenAICompatibleEndpoint } from './resolve-openai-compatible-endpoint';
import { mapKeyCheckFailure } from '../map-key-check-failure';

/**
 * Asks the cheapest authenticated call what it thinks of the key: `GET /models` (free, needs the
 * key), or for OpenRouter `GET /key`, which also says how much of the key's limit is left.
 * 401/403 → invalid; 402, `insufficient_quota` or no limit left → no-credit; no answer → unreachable.
 * Never throws; the verdict's detail is redacted like every PerpetuoError message.
 * @see https://platform.openai.com/docs/api-reference/models/list
 * @see https://openrouter.ai/docs/api/api-reference/api-keys/get-current-key
 * @see https://learn.microsoft.com/en-us/rest/api/azureopenai/models/list
 */
export async function validateOpenAICompatibleKey(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<KeyVerdict> {
  if (config.apiKey) {
    registerSecret(config.apiKey.trim());
  }
  let endpoint: OpenAICompatibleEndpoint;
  try {
    const keyCheck = resolveOpenAICompatiblePreset(config.preset)?.keyCheck;
    endpoint = resolveOpenAICompatibleEndpoint(config, { kind: keyCheck === 'openrouter-key' ? 'key' : 'models' });
  } catch (error) {
    return { status: 'invalid', detail: PerpetuoError.from(error, { kind: 'config', provider: config.id }).message };
  }
  const context = { provider: config.id };
  const request = { method: 'GET' as const, url: endpoint.url, headers: endpoint.headers, ...context, mapErrorResponse: (r: Parameters<typeof mapOpenAIErrorResponse>[0]) => mapOpenAIErrorResponse(r, context) };
  try {
    if (endpoint.preset.keyCheck === 'openrouter-key') {
      const { data } = await fetchJson({ ...request, schema: openRouterKeySchema }, signal, http);
      const remaining = data.limit_remaining ?? undefined;
      if (remaining !== undefined && remaining <= 0) {
        return { status: 'no-credit', detail: `The key's spending limit ($${data.limit ?? 0}) is used up.` };
      }
      return {
        status: 'valid',
        detail: remaining === undefined ? 'Key accepted; it has no spending limit of its own.' : `Key accepted; $${remaining.toFixed(2)} left of its $${data.limit ?? 0} limit.`,
      };
    }
    // Any 2xx body will do: the server let us in. The listing's shape is listOpenAICompatibleModels' concern.
    await fetchJson({ ...request, schema: z.unknown() }, signal, http);
    return { status: 'valid', detail: endpoint.preset.auth === 'none' ? `${endpoint.preset.displayName} answered; it needs no key.` : 'Key accepted.' };
  } catch (error) {
    return mapKeyCheckFailure(error, config.id);
  }
}
