import { fetchJson } from '../../http/fetch-json';
import type { HttpOptions } from '../../http/http-options';
import type { ListedModel, ProviderConfig } from '../provider-config';
import { geminiModelListSchema } from './gemini-api';
import { mapGeminiErrorResponse } from './gemini-error';
import { resolveGeminiConnection } from './resolve-gemini-connection';

/** The API returns at most 1000 per page; asking for the maximum keeps the page count low. */
const PAGE_SIZE = 1000;
/** A broken upstream that hands out page tokens forever must not keep us looping. */
const MAX_PAGES = 50;

/**
 * The models this key may use for chat: `GET {baseUrl}/models`, following `nextPageToken` until
 * it is absent, keeping only models whose `supportedGenerationMethods` include `generateContent`
 * (embedding, AQA and image-generation models are dropped). Ids lose the `models/` prefix;
 * `inputTokenLimit` / `outputTokenLimit` become the context length and output cap. Input
 * modalities are left unknown: the listing does not state them.
 * Rejects with a PerpetuoError (mapped like every Gemini error) on any fault.
 * @see https://ai.google.dev/api/models#method:-models.list
 */
export async function listGeminiModels(config: ProviderConfig, signal: AbortSignal, http: HttpOptions = {}): Promise<ListedModel[]> {
  const { baseUrl, headers } = resolveGeminiConnection(config);
  const listed: ListedModel[] = [];
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
    if (pageToken !== undefined) {
      query.set('pageToken', pageToken);
    }
    const body = await fetchJson(
      {
        method: 'GET',
        url: `${baseUrl}/models?${query.toString()}`,
        headers,
        provider: config.id,
        schema: geminiModelListSchema,
        mapErrorResponse: (response) => mapGeminiErrorResponse(response, { provider: config.id }),
      },
      signal,
      http,
    );
    for (const model of body.models ?? []) {
      if (!model.supportedGenerationMethods?.includes('generateContent')) {
        continue;
      }
      const entry: ListedModel = { id: model.name.replace(/^models\//, '') };
      if (model.displayName !== undefined) entry.displayName = model.displayName;
      if (model.inputTokenLimit !== undefined) entry.contextLength = model.inputTokenLimit;
      if (model.outputTokenLimit !== undefined) entry.maxOutputTokens = model.outputTokenLimit;
      listed.push(entry);
    }
    pageToken = body.nextPageToken || undefined;
    if (pageToken === undefined || seenTokens.has(pageToken)) {
      break;
    }
    seenTokens.add(pageToken);
  }
  return listed;
}
