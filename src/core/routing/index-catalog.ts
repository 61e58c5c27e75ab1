import type { CatalogEndpoint, CatalogModel } from '../catalog/catalog-model';
import { indexModelAliases, type ModelAliases } from '../catalog/model-aliases';
import type { InputModality } from '../spec/chat-request';
import { getOrCreate } from './get-or-create';
import { endpointKey } from './metrics-snapshot';
import type { EndpointPerformance } from './score-endpoint';

/**
 * What the router needs of a catalog: its models. Pass the same array (or object holding it)
 * on every call: the router indexes it once and keeps the index for as long as the array lives.
 */
export interface RoutingCatalog {
  readonly models: readonly CatalogModel[];
}

/** One endpoint with everything the per-request checks read, parsed once. */
export interface IndexedEndpoint {
  /** Position in `CatalogIndex.endpoints`: the stable final tie-break and the key of per-policy caches. */
  readonly position: number;
  readonly model: CatalogModel;
  readonly endpoint: CatalogEndpoint;
  /** `provider/upstreamModelId`, the metrics and circuit-breaker key. */
  readonly key: string;
  readonly providerLower: string;
  /** USD per token; undefined when unpublished or unparsable. */
  readonly inputPrice: number | undefined;
  readonly outputPrice: number | undefined;
  /** USD per request / per input image; 0 when the endpoint charges none. */
  readonly requestPrice: number;
  readonly imagePrice: number;
  /** Long-context prices, largest threshold first. */
  readonly overrides: ReadonlyArray<{ minPromptTokens: number; input: number | undefined; output: number | undefined }>;
  /** Bit set of accepted input modalities (see {@link modalityBit}). */
  readonly modalityMask: number;
  /** Bit set of produced output modalities, with the same bits. */
  readonly outputModalityMask: number;
  readonly parameters: ReadonlySet<string>;
  /** Bit set of `parameters` under `CatalogIndex.parameterBits`, so a plan checks tools or response_format without a lookup. */
  readonly parameterMask: number;
  readonly serviceTier: 'standard' | 'free' | 'flex' | 'priority';
  /*
   * Copies of the catalog fields every plan reads for every endpoint. They sit in this object,
   * which the plan loads anyway, rather than in the catalog's endpoint and model objects spread
   * over the heap: on a catalog of two thousand endpoints those loads are cache misses.
   */
  readonly contextLength: number | undefined;
  readonly maxOutputTokens: number | undefined;
  /** `dataPolicy.zdr === true`. */
  readonly zdr: boolean;
  /** ZDR, or known not to retain prompts: admitted by `data_collection: deny`. */
  readonly noDataCollection: boolean;
  /** The model's tier, if it has one. */
  readonly tier: 1 | 2 | 3 | 4 | undefined;
  readonly reasoning: boolean;
  /** Free tier, or both token prices published as zero. */
  readonly free: boolean;
  /** The catalog's published stats as strategies read them, used when we have no live metrics. */
  readonly catalogPerformance: EndpointPerformance;
}

/** The catalog, flattened and grouped for routing. */
export interface CatalogIndex {
  readonly models: readonly CatalogModel[];
  readonly endpoints: readonly IndexedEndpoint[];
  /** Endpoints by lower-cased model id. */
  readonly byModel: ReadonlyMap<string, readonly IndexedEndpoint[]>;
  /** Model by lower-cased id. */
  readonly modelById: ReadonlyMap<string, CatalogModel>;
  /** Every other name a model answers to (aliases, providers' own ids), for requests that name a model as its provider does. */
  readonly aliases: ModelAliases;
  /** Endpoints by lower-cased provider id. */
  readonly byProvider: ReadonlyMap<string, readonly IndexedEndpoint[]>;
  /** Endpoints by `provider/upstreamModelId` (exact case), the key of metrics and circuit breakers. */
  readonly byKey: ReadonlyMap<string, readonly IndexedEndpoint[]>;
  /**
   * One bit per supported-parameter name, for `IndexedEndpoint.parameterMask`. Names past the
   * 31st distinct one get none (see {@link parameterMaskOf}); catalogs publish about ten.
   */
  readonly parameterBits: ReadonlyMap<string, number>;
  /** The figures of every endpoint in typed arrays, for the catalog-wide screen; see {@link EndpointFigures}. */
  readonly figures: EndpointFigures;
}

/**
 * What a catalog-wide plan reads of every endpoint, as typed arrays laid out in `byProvider`
 * order, so a plan walks memory in sequence instead of chasing two thousand objects and their
 * boxed numbers. Row `start.get(provider) + i` is the i-th endpoint of that provider's list.
 */
export interface EndpointFigures {
  /** `META_COLUMNS` integers per row, at the `META_*` offsets. */
  readonly meta: Int32Array;
  /** Two per row: input and output USD per token, NaN when unknown. */
  readonly prices: Float64Array;
  /** First row of each lower-cased provider. */
  readonly start: ReadonlyMap<string, number>;
  /** The row of each endpoint position. */
  readonly rowOf: Int32Array;
  /** Endpoints of the provider with the most. */
  readonly longestProvider: number;
}

/** Columns of `EndpointFigures.meta`. */
export const META_FLAGS = 0;
export const META_PARAMETERS = 1;
export const META_POSITION = 2;
/** 0 for a model without a tier. */
export const META_TIER = 3;
/** `NO_LIMIT` when the catalog publishes none. */
export const META_CONTEXT = 4;
export const META_MAX_OUTPUT = 5;
export const META_COLUMNS = 6;
export const NO_LIMIT = 0x7fffffff;

/** Bits of the META_FLAGS column above the input (bits 0–4) and output (5–9) modality masks. */
export const OUTPUT_MODALITY_SHIFT = 5;
export const FLAG_STANDARD_TIER = 1 << 10;
export const FLAG_ZDR = 1 << 11;
export const FLAG_NO_DATA_COLLECTION = 1 << 12;
export const FLAG_REASONING = 1 << 13;
/** Long-context prices, per-request or image fees, or limits that are not 31-bit integers: the screen leaves it to the full checks. */
export const FLAG_IRREGULAR = 1 << 14;

/** Distinct parameter names that get a bit; the rest are checked by name. */
const MAX_PARAMETER_BITS = 31;

const MODALITY_BITS: Record<InputModality, number> = { text: 1, image: 2, audio: 4, video: 8, file: 16 };

/** The bit of one input (or output) modality in `IndexedEndpoint.modalityMask` and `outputModalityMask`. */
export function modalityBit(modality: InputModality): number {
  return MODALITY_BITS[modality];
}

/**
 * The mask an endpoint's `parameterMask` must intersect to support one of `names`; undefined
 * when one of the names has no bit in this catalog's table, and the caller must check by name.
 */
export function parameterMaskOf(index: CatalogIndex, names: readonly string[]): number | undefined {
  let mask = 0;
  for (const name of names) {
    const bit = index.parameterBits.get(name);
    if (bit === undefined) {
      if (index.parameterBits.size >= MAX_PARAMETER_BITS) {
        return undefined;
      }
      // Under the limit every published name has a bit: no endpoint supports this one.
      continue;
    }
    mask |= bit;
  }
  return mask;
}

const cache = new WeakMap<readonly CatalogModel[], CatalogIndex>();

/** Indexes a catalog once per models array; later calls with the same array return the cached index. */
export function indexCatalog(catalog: RoutingCatalog | readonly CatalogModel[]): CatalogIndex {
  return getOrCreate(cache, isModelArray(catalog) ? catalog : catalog.models, buildIndex);
}

function buildIndex(models: readonly CatalogModel[]): CatalogIndex {
  const endpoints: IndexedEndpoint[] = [];
  const byModel = new Map<string, IndexedEndpoint[]>();
  const modelById = new Map<string, CatalogModel>();
  const byProvider = new Map<string, IndexedEndpoint[]>();
  const byKey = new Map<string, IndexedEndpoint[]>();
  const parameterBits = new Map<string, number>();
  for (const model of models) {
    for (const endpoint of model.endpoints) {
      for (const name of endpoint.supportedParameters) {
        if (!parameterBits.has(name) && parameterBits.size < MAX_PARAMETER_BITS) {
          parameterBits.set(name, 1 << parameterBits.size);
        }
      }
    }
  }
  for (const model of models) {
    const modelKey = model.id.toLowerCase();
    modelById.set(modelKey, model);
    const list = byModel.get(modelKey) ?? [];
    byModel.set(modelKey, list);
    for (const endpoint of model.endpoints) {
      const indexed = indexEndpoint(model, endpoint, endpoints.length, parameterBits);
      endpoints.push(indexed);
      list.push(indexed);
      const providerList = byProvider.get(indexed.providerLower) ?? [];
      providerList.push(indexed);
      byProvider.set(indexed.providerLower, providerList);
      const keyList = byKey.get(indexed.key) ?? [];
      keyList.push(indexed);
      byKey.set(indexed.key, keyList);
    }
  }
  return { models, endpoints, byModel, modelById, aliases: indexModelAliases(models), byProvider, byKey, parameterBits, figures: tabulateFigures(endpoints.length, byProvider) };
}

function tabulateFigures(count: number, byProvider: ReadonlyMap<string, readonly IndexedEndpoint[]>): EndpointFigures {
  const meta = new Int32Array(count * META_COLUMNS);
  const prices = new Float64Array(count * 2);
  const start = new Map<string, number>();
  const rowOf = new Int32Array(count);
  let row = 0;
  for (const [provider, endpoints] of byProvider) {
    start.set(provider, row);
    for (const endpoint of endpoints) {
      const irregular =
        endpoint.overrides.length > 0 || endpoint.imagePrice !== 0 || endpoint.requestPrice !== 0 || !isLimit(endpoint.contextLength) || !isLimit(endpoint.maxOutputTokens);
      const at = row * META_COLUMNS;
      meta[at + META_FLAGS] =
        endpoint.modalityMask |
        (endpoint.outputModalityMask << OUTPUT_MODALITY_SHIFT) |
        (endpoint.serviceTier === 'standard' ? FLAG_STANDARD_TIER : 0) |
        (endpoint.zdr ? FLAG_ZDR : 0) |
        (endpoint.noDataCollection ? FLAG_NO_DATA_COLLECTION : 0) |
        (endpoint.reasoning ? FLAG_REASONING : 0) |
        (irregular ? FLAG_IRREGULAR : 0);
      meta[at + META_PARAMETERS] = endpoint.parameterMask;
      meta[at + META_POSITION] = endpoint.position;
      meta[at + META_TIER] = endpoint.tier ?? 0;
      meta[at + META_CONTEXT] = isLimit(endpoint.contextLength) ? (endpoint.contextLength ?? NO_LIMIT) : NO_LIMIT;
      meta[at + META_MAX_OUTPUT] = isLimit(endpoint.maxOutputTokens) ? (endpoint.maxOutputTokens ?? NO_LIMIT) : NO_LIMIT;
      prices[row * 2] = endpoint.inputPrice ?? Number.NaN;
      prices[row * 2 + 1] = endpoint.outputPrice ?? Number.NaN;
      rowOf[endpoint.position] = row;
      row++;
    }
  }
  const longestProvider = Math.max(0, ...[...byProvider.values()].map((endpoints) => endpoints.length));
  return { meta, prices, start, rowOf, longestProvider };
}

/** Absent, or an integer an Int32Array holds below NO_LIMIT. */
function isLimit(value: number | undefined): boolean {
  return value === undefined || (Number.isInteger(value) && value >= 0 && value < NO_LIMIT);
}

function isModelArray(catalog: RoutingCatalog | readonly CatalogModel[]): catalog is readonly CatalogModel[] {
  return Array.isArray(catalog);
}

/** One empty list shared by the endpoints without long-context prices, so reading it touches no new memory. */
const NO_OVERRIDES: IndexedEndpoint['overrides'] = Object.freeze([]);

function indexEndpoint(model: CatalogModel, endpoint: CatalogEndpoint, position: number, parameterBits: ReadonlyMap<string, number>): IndexedEndpoint {
  const inputPrice = parsePrice(endpoint.pricing.input);
  const outputPrice = parsePrice(endpoint.pricing.output);
  let modalityMask = 0;
  for (const modality of endpoint.inputModalities) {
    modalityMask |= MODALITY_BITS[modality];
  }
  let outputModalityMask = 0;
  for (const modality of endpoint.outputModalities) {
    outputModalityMask |= MODALITY_BITS[modality];
  }
  let parameterMask = 0;
  for (const name of endpoint.supportedParameters) {
    parameterMask |= parameterBits.get(name) ?? 0;
  }
  const serviceTier = endpoint.serviceTier ?? 'standard';
  return {
    position,
    model,
    endpoint,
    key: endpointKey(endpoint.provider, endpoint.upstreamModelId),
    providerLower: endpoint.provider.toLowerCase(),
    inputPrice,
    outputPrice,
    requestPrice: parsePrice(endpoint.pricing.request) ?? 0,
    imagePrice: parsePrice(endpoint.pricing.image) ?? 0,
    overrides: indexOverrides(endpoint.pricing.overrides, inputPrice, outputPrice),
    modalityMask,
    outputModalityMask,
    parameters: new Set(endpoint.supportedParameters),
    parameterMask,
    serviceTier,
    contextLength: endpoint.contextLength,
    maxOutputTokens: endpoint.maxOutputTokens,
    zdr: endpoint.dataPolicy.zdr === true,
    noDataCollection: endpoint.dataPolicy.zdr === true || endpoint.dataPolicy.retainsPrompts === false,
    tier: model.tier,
    reasoning: model.reasoning === true,
    free: serviceTier === 'free' || (inputPrice === 0 && outputPrice === 0),
    catalogPerformance: {
      ttftMs: endpoint.stats?.latencyP50Ms,
      throughput: endpoint.stats?.throughputP50,
      errorRate: endpoint.stats?.uptime30m === undefined ? undefined : 1 - endpoint.stats.uptime30m,
      source: endpoint.stats === undefined ? 'none' : 'catalog',
    },
  };
}

/** Long-context prices, largest threshold first; an unpublished one falls back to the base price. */
function indexOverrides(overrides: CatalogEndpoint['pricing']['overrides'], inputPrice: number | undefined, outputPrice: number | undefined): IndexedEndpoint['overrides'] {
  if (overrides === undefined || overrides.length === 0) {
    return NO_OVERRIDES;
  }
  return overrides
    .map((override) => ({
      minPromptTokens: override.minPromptTokens,
      input: parsePrice(override.input) ?? inputPrice,
      output: parsePrice(override.output) ?? outputPrice,
    }))
    .sort((a, b) => b.minPromptTokens - a.minPromptTokens);
}

/** A published per-unit price; anything not a finite non-negative number is unknown, never zero. */
function parsePrice(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const price = Number(value);
  return Number.isFinite(price) && price >= 0 ? price : undefined;
}
