import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { type ErrorKind, PerpetuoError } from '../errors';
import type { InputModality } from '../spec/chat-request';
import { assignModelTier } from './assign-model-tier';
import type { CatalogEndpoint, CatalogModel, EndpointStats } from './catalog-model';
import type { CatalogWarning } from './catalog-warning';
import { convertOpenRouterPricing } from './convert-openrouter-pricing';
import { describeSchemaIssues } from './describe-schema-issues';
import { normalizeModelId } from './normalize-model-id';
import {
  type OpenRouterEndpoint,
  type OpenRouterModel,
  openRouterEndpointSchema,
  openRouterEndpointsResponseSchema,
  openRouterModelSchema,
  openRouterModelsResponseSchema,
  openRouterZdrResponseSchema,
} from './openrouter-catalog-api';

export const OPENROUTER_API_BASE_URL = 'https://openrouter.ai/api/v1';

export interface FetchOpenRouterCatalogOptions {
  /** Defaults to OpenRouter's API; tests point it at a fake server on 127.0.0.1. */
  baseUrl?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** Optional: OpenRouter returns latency and throughput only to authenticated callers. Never logged. */
  apiKey?: string;
  /** Canonical ids whose per-provider endpoints (`/models/{id}/endpoints`) to fetch, one request each. */
  endpointsFor?: readonly string[];
  /** Also read `/endpoints/zdr` (default true). */
  includeZdr?: boolean;
  /** Requests in flight at once for `endpointsFor` (default 4). */
  concurrency?: number;
  /** Per-request header and body timeout (default 15 s). */
  timeoutMs?: number;
}

/** What one live refresh returned: OpenRouter's models, each with OpenRouter endpoints only. */
export interface OpenRouterCatalog {
  baseUrl: string;
  models: CatalogModel[];
  /** Whether the ZDR list was read, so that "not listed" may be read as "not ZDR". */
  zdrListed: boolean;
  warnings: CatalogWarning[];
}

/**
 * Reads OpenRouter's public catalog: `/models` for every model's default (load-balanced) route,
 * `/models/{author}/{slug}/endpoints` for the per-provider endpoints of the models asked for,
 * and `/endpoints/zdr` for the zero-data-retention endpoints. A failure of `/models` throws; a
 * failure of the other two, or one malformed model, becomes a warning and the rest is kept.
 * @see https://openrouter.ai/docs/models
 * @see https://openrouter.ai/docs/api/api-reference/endpoints/list-endpoints-zdr
 */
export async function fetchOpenRouterCatalog(options: FetchOpenRouterCatalogOptions = {}): Promise<OpenRouterCatalog> {
  const baseUrl = (options.baseUrl ?? OPENROUTER_API_BASE_URL).replace(/\/+$/, '');
  const warnings: CatalogWarning[] = [];
  const get = (path: string) => getJson(`${baseUrl}${path}`, options);

  const listing = parseOrThrow(openRouterModelsResponseSchema, await get('/models'), 'openrouter /models');
  const models = new Map<string, CatalogModel>();
  const permaslugs = new Map<string, string>();
  listing.data.forEach((item, index) => {
    const parsed = openRouterModelSchema.safeParse(item);
    if (!parsed.success) {
      const id = (item as { id?: unknown } | null)?.id;
      warnings.push({
        source: 'openrouter /models',
        ...(typeof id === 'string' ? { modelId: id } : {}),
        message: `model skipped: ${describeSchemaIssues(parsed.error, item, ['data', index])}`,
      });
      return;
    }
    const converted = convertOpenRouterModel(parsed.data);
    if (!converted) {
      return;
    }
    const existing = models.get(converted.model.id);
    if (existing) {
      existing.endpoints.push(...converted.model.endpoints);
    } else {
      models.set(converted.model.id, converted.model);
    }
    if (parsed.data.canonical_slug) {
      permaslugs.set(parsed.data.canonical_slug, converted.model.id);
      if (parsed.data.canonical_slug !== converted.model.id) {
        const model = models.get(converted.model.id);
        if (model) model.aliases = [...new Set([...(model.aliases ?? []), parsed.data.canonical_slug])];
      }
    }
  });

  let zdrListed = false;
  const zdrEndpoints: Array<{ modelId: string; endpoint: OpenRouterEndpoint }> = [];
  if (options.includeZdr !== false) {
    try {
      const zdr = parseOrThrow(openRouterZdrResponseSchema, await get('/endpoints/zdr'), 'openrouter /endpoints/zdr');
      zdr.data.forEach((item, index) => {
        const parsed = openRouterEndpointSchema.safeParse(item);
        const modelId = parsed.success && parsed.data.model_id ? (permaslugs.get(parsed.data.model_id) ?? parsed.data.model_id) : undefined;
        if (!parsed.success || !modelId) {
          const detail = parsed.success ? `data[${index}].model_id: missing` : describeSchemaIssues(parsed.error, item, ['data', index]);
          warnings.push({ source: 'openrouter /endpoints/zdr', message: `endpoint skipped: ${detail}` });
          return;
        }
        zdrEndpoints.push({ modelId, endpoint: parsed.data });
      });
      zdrListed = true;
    } catch (error) {
      warnings.push({ source: 'openrouter /endpoints/zdr', message: `not read, ZDR stays unknown: ${PerpetuoError.from(error, { kind: 'network' }).message}` });
    }
  }
  const zdrKeys = new Set(zdrEndpoints.map(({ modelId, endpoint }) => `${modelId}|${endpoint.tag ?? endpoint.provider_name}`));

  const pinned = new Map<string, Map<string, CatalogEndpoint>>();
  const pin = (modelId: string, endpoint: OpenRouterEndpoint, fallbackModalities: CatalogModel | undefined) => {
    const slug = endpoint.tag ?? endpoint.provider_name;
    const isZdr = zdrKeys.has(`${modelId}|${slug}`);
    const converted = convertOpenRouterEndpoint(modelId, endpoint, fallbackModalities, zdrListed ? isZdr : undefined);
    const forModel = pinned.get(modelId) ?? new Map<string, CatalogEndpoint>();
    forModel.set(slug, converted);
    pinned.set(modelId, forModel);
  };

  for (const { modelId, endpoint } of zdrEndpoints) {
    pin(modelId, endpoint, models.get(modelId));
  }

  const wanted = [...new Set(options.endpointsFor ?? [])];
  await runWithConcurrency(wanted, options.concurrency ?? 4, async (modelId) => {
    const source = `openrouter /models/${modelId}/endpoints`;
    try {
      const body = parseOrThrow(openRouterEndpointsResponseSchema, await get(`/models/${modelId.split('/').map(encodeURIComponent).join('/')}/endpoints`), source);
      body.data.endpoints.forEach((item, index) => {
        const parsed = openRouterEndpointSchema.safeParse(item);
        if (!parsed.success) {
          warnings.push({ source, modelId, message: `endpoint skipped: ${describeSchemaIssues(parsed.error, item, ['data', 'endpoints', index])}` });
          return;
        }
        pin(modelId, parsed.data, models.get(modelId));
      });
    } catch (error) {
      warnings.push({ source, modelId, message: `not read: ${PerpetuoError.from(error, { kind: 'network' }).message}` });
    }
  });

  for (const [modelId, endpoints] of pinned) {
    const model = models.get(modelId);
    if (model) {
      model.endpoints.push(...endpoints.values());
    }
  }
  return { baseUrl, models: [...models.values()], zdrListed, warnings };
}

/** One `/models` entry as a catalog model with its default OpenRouter route; undefined for a non-chat model or a router alias. */
export function convertOpenRouterModel(model: OpenRouterModel): { model: CatalogModel } | undefined {
  if (model.id.startsWith('~') || model.id.startsWith('openrouter/')) {
    return undefined;
  }
  const outputModalities = mapOutputModalities(model.architecture?.output_modalities);
  if (!outputModalities.includes('text') && !outputModalities.includes('image')) {
    return undefined;
  }
  const normalized = normalizeModelId(model.id, 'openrouter');
  const endpoint: CatalogEndpoint = {
    provider: 'openrouter',
    upstreamModelId: model.id,
    pricing: convertOpenRouterPricing(model.pricing),
    contextLength: positive(model.top_provider?.context_length ?? model.context_length),
    maxOutputTokens: positive(model.top_provider?.max_completion_tokens),
    inputModalities: mapInputModalities(model.architecture?.input_modalities),
    outputModalities,
    supportedParameters: model.supported_parameters ?? [],
    dataPolicy: { source: 'openrouter default route: depends on the provider OpenRouter picks' },
  };
  if (normalized.serviceTier) endpoint.serviceTier = normalized.serviceTier;
  const catalogModel: CatalogModel = {
    id: normalized.id,
    // OpenRouter prefixes names with the author ("Anthropic: Claude Sonnet 4.5").
    name: model.name.replace(/^[^:]{1,40}:\s+/, '').replace(/\s*\(free\)$/i, ''),
    endpoints: [endpoint],
  };
  const tier = assignModelTier(normalized.id);
  if (tier) catalogModel.tier = tier;
  if (model.supported_parameters?.includes('reasoning')) catalogModel.reasoning = true;
  if (model.created) catalogModel.releaseDate = new Date(model.created * 1000).toISOString().slice(0, 10);
  return { model: catalogModel };
}

function convertOpenRouterEndpoint(modelId: string, endpoint: OpenRouterEndpoint, model: CatalogModel | undefined, zdr: boolean | undefined): CatalogEndpoint {
  const base = model?.endpoints[0];
  const result: CatalogEndpoint = {
    provider: 'openrouter',
    upstreamModelId: modelId,
    upstreamProvider: endpoint.tag ?? endpoint.provider_name,
    pricing: convertOpenRouterPricing(endpoint.pricing),
    contextLength: positive(endpoint.context_length),
    maxOutputTokens: positive(endpoint.max_completion_tokens),
    inputModalities: base?.inputModalities ?? ['text'],
    outputModalities: base?.outputModalities ?? ['text'],
    supportedParameters: endpoint.supported_parameters ?? base?.supportedParameters ?? [],
    dataPolicy: {
      ...(zdr !== undefined ? { zdr } : {}),
      source: 'https://openrouter.ai/api/v1/endpoints/zdr',
    },
  };
  if (endpoint.quantization && endpoint.quantization !== 'unknown') result.quantization = endpoint.quantization;
  const stats: EndpointStats = {};
  if (typeof endpoint.uptime_last_30m === 'number') stats.uptime30m = endpoint.uptime_last_30m / 100;
  if (typeof endpoint.latency_last_30m?.p50 === 'number') stats.latencyP50Ms = endpoint.latency_last_30m.p50;
  if (typeof endpoint.throughput_last_30m?.p50 === 'number') stats.throughputP50 = endpoint.throughput_last_30m.p50;
  if (Object.keys(stats).length > 0) result.stats = stats;
  return result;
}

async function getJson(url: string, options: FetchOpenRouterCatalogOptions): Promise<unknown> {
  const source = `GET ${url}`;
  const timeout = options.timeoutMs ?? 15_000;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (error) {
    const cancelled = options.signal?.aborted === true;
    throw new PerpetuoError({
      kind: cancelled ? 'cancelled' : 'network',
      provider: 'openrouter',
      message: `${source} failed: ${error instanceof Error ? error.message : String(error)}.`,
      cause: error,
    });
  }
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw new PerpetuoError({
      kind: kindForStatus(response.statusCode),
      provider: 'openrouter',
      statusCode: response.statusCode,
      responseBody: text,
      message: `${source} answered HTTP ${response.statusCode}.`,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PerpetuoError({
      kind: 'malformed-response',
      provider: 'openrouter',
      responseBody: text,
      message: `${source} did not return JSON (${text.length} bytes starting "${text.slice(0, 40)}").`,
      cause: error,
    });
  }
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, source: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new PerpetuoError({
      kind: 'malformed-response',
      provider: 'openrouter',
      message: `${source} returned an unexpected shape: ${describeSchemaIssues(result.error, value)}.`,
    });
  }
  return result.data;
}

function kindForStatus(status: number): ErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  return 'invalid-request';
}

async function runWithConcurrency<T>(items: readonly T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await worker(item);
    }
  });
  await Promise.all(lanes);
}

function mapInputModalities(values: readonly string[] | null | undefined): InputModality[] {
  const known = new Set<InputModality>(['text', 'image', 'audio', 'video', 'file']);
  const mapped = (values ?? ['text']).filter((m): m is InputModality => known.has(m as InputModality));
  return mapped.length > 0 ? mapped : ['text'];
}

function mapOutputModalities(values: readonly string[] | null | undefined): CatalogEndpoint['outputModalities'] {
  return (values ?? ['text']).filter((m): m is 'text' | 'image' | 'audio' => m === 'text' || m === 'image' || m === 'audio');
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
