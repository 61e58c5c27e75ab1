import { PerpetuoError } from '../errors';
import type { InputModality } from '../spec/chat-request';
import { assignModelTier } from './assign-model-tier';
import type { CatalogEndpoint, CatalogModel, EndpointPricing } from './catalog-model';
import type { CatalogSnapshot } from './catalog-snapshot-schema';
import type { CatalogWarning } from './catalog-warning';
import { convertPerMillionToPerToken } from './convert-per-million-to-per-token';
import { lookupDataPolicy } from './data-policy-table';
import { describeSchemaIssues } from './describe-schema-issues';
import {
  type ModelsDevCatalog,
  type ModelsDevModel,
  type ModelsDevProvider,
  modelsDevCatalogSchema,
  modelsDevProviderSchema,
} from './models-dev-schema';
import { normalizeModelId } from './normalize-model-id';
import { parseCatalogSnapshot } from './parse-catalog-snapshot';

/** models.dev provider ids of Perpetuo's preset providers, mapped to our provider ids. */
export const PRESET_PROVIDERS: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  openrouter: 'openrouter',
  groq: 'groq',
  mistral: 'mistral',
  deepseek: 'deepseek',
  xai: 'xai',
  togetherai: 'together',
  'fireworks-ai': 'fireworks',
  azure: 'azure',
};

/** Which of our providers publishes an author's models first-hand: its data wins for names and limits. */
const FIRST_PARTY_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistralai: 'mistral',
  deepseek: 'deepseek',
  'x-ai': 'xai',
};

/** Embeddings, speech, rerankers and classifiers: not chat models, so not routed. */
const NOT_CHAT = /embed|whisper|(^|-)tts|transcri|rerank|prompt-guard|orpheus|moderation/;

const DESCRIPTIVE_FIELDS = ['name', 'family', 'release_date', 'reasoning', 'tool_call', 'structured_output', 'temperature'] as const;

export interface BuildCatalogReport {
  entriesRead: number;
  dropped: Record<string, number>;
  models: number;
  endpoints: number;
  /** Models with endpoints from more than one provider. */
  mergedModels: number;
  endpointsWithoutContextLength: number;
  endpointsWithoutPrice: number;
}

interface Candidate {
  provider: string;
  entry: ModelsDevModel;
  endpoint: CatalogEndpoint;
}

/**
 * Builds the bundled snapshot from a models.dev export: reads the preset providers, drops
 * deprecated and non-chat models, converts prices from per-million to per-token decimal strings,
 * merges the same model across providers under one canonical id, assigns tiers and data
 * policies, and validates the result with the snapshot schema.
 *
 * Canonical ids: an OpenRouter entry's id is canonical as it stands. Another entry joins it when
 * models.dev says they share a base model (`base_model`, or the entry's own `provider/id` being
 * an OpenRouter entry's base); otherwise `normalizeModelId` derives the id from the name.
 * @see https://models.dev
 */
export function buildCatalogFromModelsDev(
  value: unknown,
  sourceName: string,
  providers: Readonly<Record<string, string>> = PRESET_PROVIDERS,
): { snapshot: CatalogSnapshot; warnings: CatalogWarning[]; report: BuildCatalogReport } {
  const parsed = modelsDevCatalogSchema.safeParse(value);
  if (!parsed.success) {
    throw new PerpetuoError({ kind: 'config', message: `The models.dev export ${sourceName} is invalid: ${describeSchemaIssues(parsed.error, value)}.` });
  }
  const missing = Object.keys(providers).filter((id) => parsed.data.providers[id] === undefined);
  if (missing.length > 0) {
    throw new PerpetuoError({ kind: 'config', message: `The models.dev export ${sourceName} has no provider ${missing.map((id) => `"${id}"`).join(', ')}.` });
  }
  const catalog = parseProviders(parsed.data, value, sourceName, providers);

  const report: BuildCatalogReport = { entriesRead: 0, dropped: {}, models: 0, endpoints: 0, mergedModels: 0, endpointsWithoutContextLength: 0, endpointsWithoutPrice: 0 };
  const drop = (reason: string) => {
    report.dropped[reason] = (report.dropped[reason] ?? 0) + 1;
  };
  const siblings = indexByBaseModel(catalog);
  const openRouterByBase = indexOpenRouterBases(catalog);
  const byId = new Map<string, Candidate[]>();
  const zeroPriced: CatalogWarning[] = [];

  for (const [mdProvider, provider] of Object.entries(providers)) {
    for (const [modelId, raw] of Object.entries(catalog.providers[mdProvider]?.models ?? {})) {
      report.entriesRead++;
      if (raw.status === 'deprecated') {
        drop('deprecated');
        continue;
      }
      if (provider === 'openrouter' && (modelId.startsWith('~') || modelId.startsWith('openrouter/'))) {
        drop('openrouter alias or router'); // moving aliases (~author/x-latest) and meta-routers with no fixed price
        continue;
      }
      const entry = fillFromSiblings(resolveBaseModel(catalog, mdProvider, modelId, raw), siblings.get(raw.base_model ?? `${mdProvider}/${modelId}`) ?? []);
      if (entry.family === 'model-router') {
        drop('provider router'); // Azure's Model Router: its listed price is a routing fee on top of the model it picks
        continue;
      }
      if (NOT_CHAT.test(modelId.toLowerCase()) || NOT_CHAT.test(entry.family ?? '')) {
        drop('not a chat model');
        continue;
      }
      const outputModalities = mapOutputModalities(entry.modalities?.output);
      if (!outputModalities.includes('text') && !outputModalities.includes('image')) {
        drop('no text or image output');
        continue;
      }
      const normalized = normalizeModelId(modelId, provider);
      const canonical = provider === 'openrouter' ? normalized.id : (openRouterByBase.get(raw.base_model ?? `${mdProvider}/${modelId}`) ?? normalized.id);
      const endpoint: CatalogEndpoint = {
        provider,
        upstreamModelId: modelId,
        pricing: convertCost(entry.cost, provider),
        contextLength: positive(entry.limit?.context),
        maxOutputTokens: positive(entry.limit?.output),
        inputModalities: mapInputModalities(entry.modalities?.input),
        outputModalities,
        supportedParameters: mapSupportedParameters(entry),
        dataPolicy: lookupDataPolicy(provider),
      };
      if (normalized.quantization) endpoint.quantization = normalized.quantization;
      if (normalized.serviceTier) endpoint.serviceTier = normalized.serviceTier;
      if (endpoint.serviceTier !== 'free' && isZeroTokenPrice(endpoint.pricing)) {
        // models.dev writes 0 where a paid model is billed by some unit it has no field for (per
        // clip, per second): a paid endpoint priced at $0 would win every "cheapest" plan and
        // leave budgets blind, so its price is unknown until a live source says otherwise.
        endpoint.pricing = { input: undefined, output: undefined };
        zeroPriced.push({ source: sourceName, modelId: canonical, provider, field: 'pricing', message: 'listed at $0 per token but not a free tier; the price is treated as unknown.' });
      }
      const list = byId.get(canonical) ?? [];
      list.push({ provider, entry, endpoint });
      byId.set(canonical, list);
    }
  }

  const consensus = indexConsensus(catalog, openRouterByBase);
  const models = [...byId.entries()].map(([id, candidates]) => assembleModel(id, candidates, Object.values(providers), consensus.get(id)));
  models.sort((a, b) => a.id.localeCompare(b.id));
  for (const model of models) {
    report.endpoints += model.endpoints.length;
    if (new Set(model.endpoints.map((e) => e.provider)).size > 1) report.mergedModels++;
    report.endpointsWithoutContextLength += model.endpoints.filter((e) => e.contextLength === undefined).length;
    report.endpointsWithoutPrice += model.endpoints.filter((e) => e.pricing.input === undefined || e.pricing.output === undefined).length;
  }
  report.models = models.length;

  const draft: CatalogSnapshot = {
    schemaVersion: 1,
    source: `${catalog.source}, snapshot ${catalog.snapshot}; data policies: Perpetuo data-policy table`,
    snapshotDate: catalog.snapshot,
    // Derived from the snapshot date, not the clock, so that regenerating from the same input gives the same file.
    generatedAt: `${catalog.snapshot}T00:00:00.000Z`,
    models,
  };
  const { snapshot, warnings } = parseCatalogSnapshot(JSON.parse(JSON.stringify(draft)), sourceName);
  return { snapshot, warnings: [...zeroPriced, ...warnings], report };
}

/**
 * Checks the providers we read strictly (an error names the field) and the others leniently: they
 * only lend base-model facts, so one that does not parse is left out.
 */
function parseProviders(
  envelope: { source: string; snapshot: string; providers: Record<string, unknown> },
  root: unknown,
  sourceName: string,
  selected: Readonly<Record<string, string>>,
): ModelsDevCatalog {
  const parsedProviders: Record<string, ModelsDevProvider> = {};
  for (const [id, raw] of Object.entries(envelope.providers)) {
    const result = modelsDevProviderSchema.safeParse(raw);
    if (result.success) {
      parsedProviders[id] = result.data;
    } else if (id in selected) {
      const issues = describeSchemaIssues(result.error, (root as { providers: Record<string, unknown> }).providers[id]);
      throw new PerpetuoError({ kind: 'config', message: `The models.dev export ${sourceName} is invalid in providers.${id}: ${issues}.` });
    }
  }
  return { source: envelope.source, snapshot: envelope.snapshot, providers: parsedProviders };
}

/** Overlays an entry on the base model it names (`base_model: author/id`), minus `base_model_omit`. */
function resolveBaseModel(catalog: ModelsDevCatalog, provider: string, modelId: string, entry: ModelsDevModel, depth = 0): ModelsDevModel {
  const base = entry.base_model;
  if (!base || depth > 3) {
    return entry;
  }
  const slash = base.indexOf('/');
  const author = base.slice(0, slash);
  const slug = base.slice(slash + 1);
  const baseEntry = catalog.providers[author]?.models[slug];
  if (!baseEntry || (author === provider && slug === modelId)) {
    return entry;
  }
  const merged: ModelsDevModel = { ...resolveBaseModel(catalog, author, slug, baseEntry, depth + 1), ...entry };
  for (const key of entry.base_model_omit ?? []) {
    delete merged[key];
  }
  // A price belongs to the provider that charges it: never inherit one from the base entry.
  merged.cost = entry.cost;
  merged.status = entry.status;
  return merged;
}

/** Descriptive facts (name, family, flags, modalities) from other providers' entries of the same base model. */
function fillFromSiblings(entry: ModelsDevModel, siblings: readonly ModelsDevModel[]): ModelsDevModel {
  const filled: ModelsDevModel = { ...entry };
  for (const field of DESCRIPTIVE_FIELDS) {
    if (filled[field] === undefined) {
      const donor = siblings.find((s) => s[field] !== undefined);
      if (donor) (filled as Record<string, unknown>)[field] = donor[field];
    }
  }
  const input = entry.modalities?.input ?? siblings.find((s) => s.modalities?.input)?.modalities?.input;
  const output = entry.modalities?.output ?? siblings.find((s) => s.modalities?.output)?.modalities?.output;
  filled.modalities = { ...(input ? { input } : {}), ...(output ? { output } : {}) };
  return filled;
}

function indexByBaseModel(catalog: ModelsDevCatalog): Map<string, ModelsDevModel[]> {
  const index = new Map<string, ModelsDevModel[]>();
  for (const [provider, { models }] of Object.entries(catalog.providers)) {
    for (const [modelId, entry] of Object.entries(models)) {
      const key = entry.base_model ?? `${provider}/${modelId}`;
      const list = index.get(key) ?? [];
      list.push(entry);
      index.set(key, list);
    }
  }
  return index;
}

function indexOpenRouterBases(catalog: ModelsDevCatalog): Map<string, string> {
  const index = new Map<string, string>();
  for (const [modelId, entry] of Object.entries(catalog.providers.openrouter?.models ?? {})) {
    if (entry.base_model && !modelId.startsWith('~')) {
      index.set(entry.base_model, normalizeModelId(modelId, 'openrouter').id);
    }
  }
  return index;
}

interface Consensus {
  name?: string;
  contextLength?: number;
  maxOutputTokens?: number;
}

/**
 * The most common name and limits each canonical model has across *every* provider in the
 * export (gateways included). models.dev stores some first-party models (gpt-5, gemini-2.5-pro)
 * as stubs pointing at a base record the export does not contain; the many resellers that list
 * the same model carry the facts, and their majority is a better answer than "unknown".
 */
function indexConsensus(catalog: ModelsDevCatalog, openRouterByBase: ReadonlyMap<string, string>): Map<string, Consensus> {
  const votes = new Map<string, { names: string[]; contexts: number[]; outputs: number[] }>();
  for (const [provider, { models }] of Object.entries(catalog.providers)) {
    for (const [modelId, raw] of Object.entries(models)) {
      const entry = resolveBaseModel(catalog, provider, modelId, raw);
      const key = raw.base_model ?? `${provider}/${modelId}`;
      const id = openRouterByBase.get(key) ?? normalizeModelId(modelId, provider === 'openrouter' ? 'openrouter' : undefined).id;
      const tally = votes.get(id) ?? { names: [], contexts: [], outputs: [] };
      if (entry.name) tally.names.push(entry.name.replace(/\s*\((latest|free)\)$/i, ''));
      if (positive(entry.limit?.context)) tally.contexts.push(entry.limit?.context as number);
      if (positive(entry.limit?.output)) tally.outputs.push(entry.limit?.output as number);
      votes.set(id, tally);
    }
  }
  const result = new Map<string, Consensus>();
  for (const [id, tally] of votes) {
    const consensus: Consensus = {};
    const name = mostCommon(tally.names);
    const contextLength = mostCommon(tally.contexts);
    const maxOutputTokens = mostCommon(tally.outputs);
    if (name !== undefined) consensus.name = name;
    if (contextLength !== undefined) consensus.contextLength = contextLength;
    if (maxOutputTokens !== undefined) consensus.maxOutputTokens = maxOutputTokens;
    result.set(id, consensus);
  }
  return result;
}

/** The most frequent value; ties go to the value seen first, which keeps the build deterministic. */
function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function isZeroTokenPrice(pricing: EndpointPricing): boolean {
  return pricing.input !== undefined && pricing.output !== undefined && Number(pricing.input) === 0 && Number(pricing.output) === 0 && pricing.request === undefined && pricing.image === undefined;
}

/**
 * Anthropic bills a one-hour cache write at twice the base input price (a five-minute write, the
 * `cache_write` models.dev lists, at 1.25×). models.dev has no field for it, so it is derived here
 * for Anthropic's own endpoints only; elsewhere a one-hour write stays an unknown price.
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing
 */
function oneHourCacheWrite(provider: string, input: number | undefined): string | undefined {
  return provider === 'anthropic' && input !== undefined ? convertPerMillionToPerToken(input * 2) : undefined;
}

/**
 * Anthropic bills its web search tool per search, the same for every model: $10 per 1,000
 * searches, on top of the tokens (models.dev has no field for it).
 * @see https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool#usage-and-pricing
 */
const ANTHROPIC_WEB_SEARCH_PRICE = '0.01';

function convertCost(cost: ModelsDevModel['cost'], provider: string): EndpointPricing {
  const perToken = (value: number | undefined) => (value === undefined ? undefined : convertPerMillionToPerToken(value));
  const pricing: EndpointPricing = { input: perToken(cost?.input), output: perToken(cost?.output) };
  if (!cost) {
    return pricing;
  }
  const optional = { cacheRead: cost.cache_read, cacheWrite: cost.cache_write, reasoning: cost.reasoning, image: cost.image, request: cost.request };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) pricing[key as keyof typeof optional] = convertPerMillionToPerToken(value);
  }
  const cacheWrite1h = oneHourCacheWrite(provider, cost.input);
  if (cacheWrite1h !== undefined) pricing.cacheWrite1h = cacheWrite1h;
  if (provider === 'anthropic') pricing.webSearch = ANTHROPIC_WEB_SEARCH_PRICE;
  if (cost.tiers && cost.tiers.length > 0) {
    // models.dev's tier size is the prompt length the tier starts *above* ("over 200K"), so the
    // first token count it applies to is size + 1.
    pricing.overrides = [...cost.tiers]
      .sort((a, b) => a.tier.size - b.tier.size)
      .map((tier) => {
        const override: NonNullable<EndpointPricing['overrides']>[number] = { minPromptTokens: tier.tier.size + 1 };
        if (tier.input !== undefined) override.input = convertPerMillionToPerToken(tier.input);
        if (tier.output !== undefined) override.output = convertPerMillionToPerToken(tier.output);
        if (tier.cache_read !== undefined) override.cacheRead = convertPerMillionToPerToken(tier.cache_read);
        if (tier.cache_write !== undefined) override.cacheWrite = convertPerMillionToPerToken(tier.cache_write);
        const tierCacheWrite1h = oneHourCacheWrite(provider, tier.input);
        if (tierCacheWrite1h !== undefined) override.cacheWrite1h = tierCacheWrite1h;
        return override;
      });
  }
  return pricing;
}

function mapInputModalities(values: readonly string[] | undefined): InputModality[] {
  const known: Record<string, InputModality> = { text: 'text', image: 'image', audio: 'audio', video: 'video', pdf: 'file' };
  const mapped = (values ?? ['text']).flatMap((m) => (known[m] ? [known[m]] : []));
  return mapped.length > 0 ? [...new Set(mapped)] : ['text'];
}

function mapOutputModalities(values: readonly string[] | undefined): CatalogEndpoint['outputModalities'] {
  return (values ?? ['text']).filter((m): m is 'text' | 'image' | 'audio' => m === 'text' || m === 'image' || m === 'audio');
}

/** models.dev flags in OpenRouter's parameter vocabulary; `max_tokens` is accepted by every chat API. */
function mapSupportedParameters(entry: ModelsDevModel): string[] {
  const parameters = ['max_tokens'];
  if (entry.tool_call) parameters.push('tools', 'tool_choice');
  if (entry.structured_output) parameters.push('response_format', 'structured_outputs');
  if (entry.reasoning) parameters.push('reasoning');
  if (entry.temperature) parameters.push('temperature');
  return parameters;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Joins one canonical id's candidates into a model: one endpoint per provider and tier, the rest kept as aliases. */
function assembleModel(id: string, candidates: Candidate[], providerOrder: readonly string[], consensus: Consensus | undefined): CatalogModel {
  const author = id.slice(0, id.indexOf('/'));
  const firstParty = FIRST_PARTY_PROVIDER[author];
  const rank = (c: Candidate) => (c.provider === firstParty ? 0 : c.provider === 'openrouter' ? 1 : 2 + providerOrder.indexOf(c.provider));
  const ordered = [...candidates].sort((a, b) => rank(a) - rank(b) || (a.endpoint.serviceTier === 'free' ? 1 : 0) - (b.endpoint.serviceTier === 'free' ? 1 : 0));

  const aliases = new Set<string>();
  const endpoints = new Map<string, CatalogEndpoint>();
  for (const { endpoint } of ordered) {
    const key = `${endpoint.provider}|${endpoint.serviceTier ?? 'standard'}`;
    const kept = endpoints.get(key);
    // The same model twice at one provider (an alias and its dated snapshot): keep the shorter, undated id.
    if (!kept || endpoint.upstreamModelId.length < kept.upstreamModelId.length) {
      if (kept) aliases.add(kept.upstreamModelId);
      endpoints.set(key, endpoint);
    } else {
      aliases.add(endpoint.upstreamModelId);
    }
  }

  // Context and output limits are properties of the weights: an endpoint whose provider does not
  // publish them inherits them from the author's own API, then OpenRouter, then Azure (which
  // serves OpenAI and Anthropic weights unmodified), and failing those from the consensus of the
  // whole export. Prices are never inherited.
  const limitDonors = ordered.filter((c) => c.provider === firstParty || c.provider === 'openrouter' || c.provider === 'azure');
  const contextDonor = limitDonors.find((c) => c.endpoint.contextLength !== undefined)?.endpoint;
  const outputDonor = limitDonors.find((c) => c.endpoint.maxOutputTokens !== undefined)?.endpoint;
  for (const endpoint of endpoints.values()) {
    endpoint.contextLength ??= contextDonor?.contextLength ?? consensus?.contextLength;
    endpoint.maxOutputTokens ??= outputDonor?.maxOutputTokens ?? consensus?.maxOutputTokens;
  }

  const describer = ordered.find((c) => c.endpoint.serviceTier !== 'free' && c.entry.name) ?? ordered.find((c) => c.entry.name);
  const name = (describer?.entry.name ?? consensus?.name ?? id.slice(id.indexOf('/') + 1)).replace(/\s*\((latest|free)\)$/i, '');
  const model: CatalogModel = { id, name, endpoints: [...endpoints.values()] };
  const family = ordered.find((c) => c.entry.family)?.entry.family;
  const releaseDate = ordered.find((c) => c.entry.release_date)?.entry.release_date;
  const reasoning = ordered.find((c) => c.entry.reasoning !== undefined)?.entry.reasoning;
  const tier = assignModelTier(id);
  if (family) model.family = family;
  if (releaseDate) model.releaseDate = releaseDate;
  if (tier) model.tier = tier;
  if (reasoning !== undefined) model.reasoning = reasoning;
  aliases.delete(id);
  if (aliases.size > 0) model.aliases = [...aliases].sort();
  return model;
}
