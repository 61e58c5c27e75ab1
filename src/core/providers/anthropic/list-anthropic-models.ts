import { PerpetuoError } from '../../errors/perpetuo-error';
import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { ListedModel, ProviderConfig } from '../provider-config';
import { anthropicModelsPageSchema, type AnthropicModelsPage } from './anthropic-api';
import { mapAnthropicErrorResponse } from './anthropic-error';
import { anthropicBaseUrl, buildAnthropicHeaders } from './build-anthropic-headers';

/** The API's largest page. */
const PAGE_SIZE = 1000;
/** A listing longer than this many pages is a broken cursor, not a catalogue. */
const MAX_PAGES = 50;

/**
 * Every model the key can use, following the `after_id` cursor until `has_more` is false.
 * Context window, output ceiling and input modalities come from the model's own record when
 * the API gives them (`max_input_tokens`, `max_tokens`, `capabilities`).
 * @see https://platform.claude.com/docs/en/api/models/list
 */
export async function listAnthropicModels(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<ListedModel[]> {
  const models: ListedModel[] = [];
  let afterId: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(afterId === undefined ? {} : { after_id: afterId }) });
    const body = await fetchAnthropicModelsPage(config, query, signal, http);
    models.push(...body.data.map(toListedModel));
    if (!body.has_more) {
      return models;
    }
    const next = body.last_id ?? body.data.at(-1)?.id;
    if (next === undefined || next === afterId) {
      throw brokenCursor(config, `has_more is true but the cursor did not move (${next ?? 'no last_id'})`);
    }
    afterId = next;
  }
  throw brokenCursor(config, `more than ${MAX_PAGES} pages`);
}

/**
 * One `GET /v1/models` page; shared with the key check.
 * @see https://platform.claude.com/docs/en/api/models/list
 */
export function fetchAnthropicModelsPage(config: ProviderConfig, query: URLSearchParams, signal: AbortSignal, http: HttpOptions): Promise<AnthropicModelsPage> {
  return fetchJson(
    {
      method: 'GET',
      url: `${anthropicBaseUrl(config)}/models?${query.toString()}`,
      headers: buildAnthropicHeaders(config),
      provider: config.id,
      schema: anthropicModelsPageSchema,
      mapErrorResponse: (response) => mapAnthropicErrorResponse(response, { provider: config.id }),
    },
    signal,
    http,
  );
}

function toListedModel(model: AnthropicModelsPage['data'][number]): ListedModel {
  const capabilities = model.capabilities;
  const modalities: NonNullable<ListedModel['inputModalities']> = ['text'];
  if (capabilities?.image_input?.supported) {
    modalities.push('image');
  }
  if (capabilities?.pdf_input?.supported) {
    modalities.push('file');
  }
  return {
    id: model.id,
    ...(model.display_name ? { displayName: model.display_name } : {}),
    ...(model.max_input_tokens ? { contextLength: model.max_input_tokens } : {}),
    ...(model.max_tokens ? { maxOutputTokens: model.max_tokens } : {}),
    // Without a capabilities record we do not guess: the catalog knows better than "text only".
    ...(capabilities ? { inputModalities: modalities } : {}),
  };
}

function brokenCursor(config: ProviderConfig, detail: string): PerpetuoError {
  return new PerpetuoError({ kind: 'malformed-response', provider: config.id, message: `${config.id} model listing did not end: ${detail}.` });
}
