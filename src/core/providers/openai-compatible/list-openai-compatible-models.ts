import { PerpetuoError } from '../../errors/perpetuo-error';
import { registerSecret } from '../../errors/redact-secrets';
import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { ListedModel, ProviderConfig } from '../provider-config';
import { openAIModelListSchema, type OpenAIListedModel } from './openai-api';
import { mapOpenAIErrorResponse } from './openai-error';
import { resolveOpenAICompatibleEndpoint } from './resolve-openai-compatible-endpoint';

type Modality = NonNullable<ListedModel['inputModalities']>[number];
const MODALITIES = new Set<string>(['text', 'image', 'audio', 'video', 'file'] satisfies Modality[]);

/** Together lists image, embedding and rerank models too; only these types take chat requests. */
const CHAT_TYPES = new Set(['chat', 'language', 'code']);

/**
 * `GET /models` → what the account can call, with the context window where the provider says it
 * (`context_length` on OpenRouter/Together/Fireworks, `context_window` on Groq,
 * `max_context_length` on Mistral). Rejects with a PerpetuoError; Azure is refused outright, since
 * its data plane lists base models while requests name deployments.
 * @see https://platform.openai.com/docs/api-reference/models/list
 * @see https://openrouter.ai/docs/api/api-reference/models/get-models
 * @see https://console.groq.com/docs/api-reference#models-list
 * @see https://docs.mistral.ai/api/#tag/models
 * @see https://docs.together.ai/reference/models-1
 */
export async function listOpenAICompatibleModels(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<ListedModel[]> {
  if (config.apiKey) {
    registerSecret(config.apiKey.trim());
  }
  const endpoint = resolveOpenAICompatibleEndpoint(config, { kind: 'models' });
  if (!endpoint.preset.canListModels) {
    throw new PerpetuoError({
      kind: 'config',
      provider: config.id,
      isRetryable: false,
      message: `${endpoint.preset.displayName} cannot list deployments through its API; add the deployment names to provider "${config.id}" by hand.`,
    });
  }
  const context = { provider: config.id };
  const list = await fetchJson(
    { method: 'GET', url: endpoint.url, headers: endpoint.headers, ...context, schema: openAIModelListSchema, mapErrorResponse: (r) => mapOpenAIErrorResponse(r, context) },
    signal,
    http,
  );
  const models = Array.isArray(list) ? list : list.data;
  return models.filter((model) => !model.type || CHAT_TYPES.has(model.type)).map(toListedModel);
}

function toListedModel(model: OpenAIListedModel): ListedModel {
  const contextLength = model.context_length ?? model.context_window ?? model.max_context_length ?? model.top_provider?.context_length ?? undefined;
  const displayName = model.name ?? model.display_name ?? undefined;
  const maxOutputTokens = model.top_provider?.max_completion_tokens ?? undefined;
  const modalities = model.architecture?.input_modalities?.filter((m): m is Modality => MODALITIES.has(m));
  const inputModalities: Modality[] | undefined = modalities ?? (model.capabilities?.vision === undefined || model.capabilities.vision === null ? undefined : model.capabilities.vision ? ['text', 'image'] : ['text']);
  return {
    id: model.id,
    ...(displayName ? { displayName } : {}),
    ...(contextLength === undefined ? {} : { contextLength }),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    ...(inputModalities === undefined ? {} : { inputModalities }),
  };
}
