import type { CatalogModel } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors/perpetuo-error';
import { analysePrompt } from './analyse-prompt';
import {
  checkEndpoint,
  checkModelGlobs,
  checkProvider,
  matchesProviderSlug,
  supports,
  type EligibilityRules,
  type ModelVariant,
  type ParameterRequirement,
} from './check-endpoint';
import { compileGlobs } from './compile-globs';
import { ContentCache } from './content-cache';
import { estimateEndpointCost } from './estimate-endpoint-cost';
import { createNoEligibleModelError } from './create-no-eligible-model-error';
import { describeTargetRank } from './describe-target-rank';
import { compileFigureScreen } from './screen-endpoint-figures';
import { countSetByBlock, blocksAnySetByPosition, tabulateFigureBlocks, type FigureBlocks } from './tabulate-figure-blocks';
import { findCloseMatches } from './find-close-matches';
import { getOrCreate } from './get-or-create';
import { formatTokenCount } from './format-token-count';
import { formatUsd } from './format-usd';
import { describeFallbackCount, describeRejectedCount } from './describe-plan-counts';
import { indexCatalog, parameterMaskOf, type CatalogIndex, type IndexedEndpoint, type RoutingCatalog } from './index-catalog';
import type { MetricsSnapshot, Percentiles } from './metrics-snapshot';
import { parseRequestedModel, type RequestedModel } from './parse-requested-model';
import { profileRequest, type RequestProfile, type RequiredParameter } from './profile-request';
import type { PercentileThreshold, ProviderPreferences, ProviderSortBy } from './provider-preferences';
import type { PromptAnalysis, RejectedCandidate, RoutePlan, RouteTarget } from './route-plan';
import type { RouteOrdering as Ordering } from './route-ordering';
import type { RouteRequest } from './route-request';
import type { RoutingPolicy } from './routing-policy';
import { compareEligible, compareParts, insertBounded, type Eligible } from './rank-eligible';
import { rankKeyOf } from './score-by-ordering';
import { performanceByPosition, readPercentile, resolvePerformance, type EndpointPerformance, type RankKey } from './score-endpoint';
import { rankBoundOf, walkProvider, type CatalogWalk } from './walk-catalog-figures';

/** Fallbacks kept for a route over the whole catalog when the policy sets no `maxFallbacks`. */
export const DEFAULT_ROUTE_FALLBACKS = 4;

/** A model the plan considers by name (the requested one, then `models[]`). */
interface NamedCandidate {
  model: CatalogModel;
  variant: ModelVariant | undefined;
  /** `requested model` or `models[] #2`. */
  label: string;
}

/**
 * The pure router: orders the endpoints that can serve a request and records why every other
 * candidate was rejected. No I/O; the same inputs give the same plan. Throws a `config`
 * PerpetuoError for an unknown model, route, variant or provider (with close matches), and a
 * `no-eligible-model` one, listing what excluded each candidate, when nothing is left.
 */
export function planRoute(
  request: RouteRequest,
  catalog: RoutingCatalog | readonly CatalogModel[],
  availableProviders: ReadonlySet<string>,
  policy: RoutingPolicy,
  metrics: MetricsSnapshot,
): RoutePlan {
  const index = indexCatalog(catalog);
  const prefs: ProviderPreferences = request.provider ?? {};
  const requested = parseRequestedModel(request.model, index);
  const fallbackModels = (request.models ?? []).map((name, position) => toNamedModel(parseRequestedModel(name, index, `models[${position}]`), name, position));
  validateProviderNames(prefs, policy, index, availableProviders);

  const profile = profileRequest(request.chat, request.promptTokens);
  const rules = buildRules(prefs, policy, availableProviders, metrics, index);
  const variant = requested.kind === 'model' ? requested.variant : undefined;
  const sort = resolveSort(prefs.sort, variant);
  const strategy = resolveStrategy(requested, policy);
  const analysis = requested.kind === 'auto' ? analysePrompt(request.chat, profile.promptTokens) : undefined;
  const ordering = resolveOrdering(strategy, sort, analysis, policy);

  const named: NamedCandidate[] = [];
  if (requested.kind === 'model') {
    named.push({ model: requested.model, variant: requested.variant, label: 'requested model' });
  }
  for (const candidate of fallbackModels) {
    if (!named.some((existing) => existing.model === candidate.model && existing.variant === candidate.variant)) {
      named.push(candidate);
    }
  }
  const catalogWide = named.length === 0;
  const partitionByModel = requested.kind === 'model' && sort?.partition !== 'none';
  const requireParameters = prefs.require_parameters === true;
  // OpenRouter never drops a model the user named over tools / response_format unless
  // require_parameters is set; models we pick ourselves must be able to honour the request.
  const hardParameters = toRequirements(requireParameters ? profile.parameters : catalogWide ? profile.capabilities : [], index);
  const softParameters = toRequirements(requireParameters || catalogWide ? [] : profile.capabilities, index);
  const order = prefs.order?.map((slug) => slug.toLowerCase());
  const hasSoftPreferences = softParameters.length > 0 || prefs.preferred_min_throughput !== undefined || prefs.preferred_max_latency !== undefined;
  const needsPerformance =
    ordering.kind === 'sort' ||
    (ordering.kind === 'strategy' && ordering.strategy !== 'cheapest' && ordering.strategy !== 'quality') ||
    prefs.preferred_max_latency !== undefined ||
    prefs.preferred_min_throughput !== undefined;

  const allowFallbacks = prefs.allow_fallbacks !== false;
  // With allow_fallbacks:false, only provider.order's providers, or (without an order) each
  // named model's primary endpoint, may serve.
  const orderOnly = !allowFallbacks && order !== undefined ? order : undefined;
  const maxFallbacks = policy.maxFallbacks ?? (catalogWide ? DEFAULT_ROUTE_FALLBACKS : undefined);
  const limit = !allowFallbacks && order === undefined && catalogWide ? 1 : maxFallbacks === undefined ? Number.POSITIVE_INFINITY : maxFallbacks + 1;

  // Every endpoint's figures under this snapshot, computed once per snapshot rather than per plan.
  const performances = needsPerformance ? performanceByPosition(index, metrics) : undefined;
  const rejected: RejectedCandidate[] = [];
  // Named models: every eligible endpoint, sorted below. Catalog-wide: only the best `limit`,
  // kept in order as they come, so two thousand endpoints are never sorted to use five.
  const eligible: Eligible[] = [];
  let eligibleCount = 0;
  const scratchKey: RankKey = { score: 0, secondary: 0 };
  /** Places an endpoint that passed every hard check, or records why allow_fallbacks excludes it. */
  const admit = (endpoint: IndexedEndpoint, costUsd: number | undefined, group: number, label: string | undefined): void => {
    const orderRank = order === undefined ? 0 : rankInOrder(endpoint.providerLower, order);
    if (orderOnly !== undefined && orderRank >= orderOnly.length) {
      rejected.push(fallbacksDisabled(endpoint, `provider.allow_fallbacks is false and ${endpoint.endpoint.provider} is not in provider.order`));
      return;
    }
    eligibleCount++;
    const performance = performances === undefined ? undefined : performances.byPosition[endpoint.position];
    const demoted = hasSoftPreferences ? findDemotion(endpoint, prefs, metrics, softParameters) : undefined;
    rankKeyInto(ordering, endpoint, costUsd, performance, profile, scratchKey);
    place(endpoint, costUsd, group, label, orderRank, demoted, performance);
  };
  /** Keeps an eligible endpoint ranked by `scratchKey`, unless a catalog-wide plan already has `limit` better ones. */
  const place = (
    endpoint: IndexedEndpoint,
    costUsd: number | undefined,
    group: number,
    label: string | undefined,
    orderRank: number,
    demoted: string | undefined,
    performance: EndpointPerformance | undefined,
  ): void => {
    if (catalogWide && eligible.length >= limit) {
      const last = eligible[eligible.length - 1];
      // Most endpoints of a catalog-wide route lose to the current last: drop them before allocating anything.
      if (last === undefined || compareParts(group, orderRank, demoted, scratchKey.score, scratchKey.secondary, endpoint.position, last) >= 0) {
        return;
      }
    }
    const entry: Eligible = { endpoint, costUsd, group, label, orderRank, demoted, performance, key: { score: scratchKey.score, secondary: scratchKey.secondary } };
    if (catalogWide) {
      insertBounded(eligible, entry, limit);
    } else {
      eligible.push(entry);
    }
  };
  const consider = (endpoint: IndexedEndpoint, variant: ModelVariant | undefined, group: number, label: string | undefined): void => {
    const costUsd = estimateEndpointCost(endpoint, profile.promptTokens, profile.outputTokens, profile.images);
    const rejection = checkEndpoint(endpoint, profile, rules, variant, hardParameters, costUsd);
    if (rejection !== undefined) {
      rejected.push({ modelId: endpoint.model.id, provider: endpoint.endpoint.provider, reason: rejection.reason, detail: rejection.detail });
      return;
    }
    admit(endpoint, costUsd, group, label);
  };

  let scope: RoutePlan['scope'];
  if (catalogWide) {
    const scoped = scopeCatalog(index, policy, ordering, requested.kind === 'auto');
    // Most endpoints pass every check: the screen clears those from the figures table, and only
    // the others go through checkEndpoint, which words the rejections.
    const screen = compileFigureScreen(rules, profile, hardParameters);
    const ranking = screen !== undefined && order === undefined && !hasSoftPreferences && ordering.kind !== 'priority' ? ordering : undefined;
    const open = rules.openCircuits === undefined ? undefined : openCircuitBlocks(scoped.tables, index, rules.openCircuits);
    const walk: CatalogWalk = {
      index,
      inScope: scoped.inScope,
      blocks: scoped.tables.blocks,
      inScopeByBlock: scoped.inScopeByBlock,
      providerBlocks: scoped.tables.providerBlocks,
      inScopeByProvider: scoped.inScopeByProvider,
      openBlocks: open?.blocks,
      openProviders: open?.providers,
      screen,
      openCircuits: rules.openCircuits,
      ranking,
      bound: ranking === undefined ? undefined : rankBoundOf(ranking, index, performances),
      performances,
      outputTokens: profile.outputTokens,
      eligible,
      limit,
      key: scratchKey,
      consider: (endpoint) => consider(endpoint, undefined, 0, undefined),
      admit: (endpoint, costUsd) => admit(endpoint, costUsd, 0, undefined),
      place: (endpoint, costUsd, position) => place(endpoint, costUsd, 0, undefined, 0, undefined, performances?.byPosition[position]),
    };
    scope = { models: scoped.models, outOfScope: index.models.length - scoped.models, note: scoped.note };
    for (const [providerLower, endpoints] of index.byProvider) {
      const first = endpoints[0];
      const inScope = scoped.modelsByProvider.get(providerLower) ?? 0;
      if (first === undefined || inScope === 0) {
        continue;
      }
      const providerRejection = checkProvider(providerLower, first.endpoint.provider, rules);
      if (providerRejection !== undefined) {
        // One line per provider rather than one per model: "no key for groq" × 300 helps nobody.
        rejected.push({
          modelId: '*',
          provider: first.endpoint.provider,
          reason: providerRejection.reason,
          detail: `${providerRejection.detail} (${inScope} model${inScope === 1 ? '' : 's'} in scope)`,
        });
        continue;
      }
      // Not `eligibleCount += walkProvider(…)`: that would read the count before the walk's own callbacks add to it.
      const cleared = walkProvider(walk, providerLower);
      eligibleCount += cleared;
    }
  } else {
    scope = { models: named.length, outOfScope: 0, note: null };
    named.forEach((candidate, position) => {
      const label = named.length > 1 ? candidate.label : undefined;
      for (const endpoint of index.byModel.get(candidate.model.id.toLowerCase()) ?? []) {
        const rejection = checkProvider(endpoint.providerLower, endpoint.endpoint.provider, rules) ?? checkModelGlobs(endpoint, rules);
        if (rejection !== undefined) {
          rejected.push({ modelId: endpoint.model.id, provider: endpoint.endpoint.provider, reason: rejection.reason, detail: rejection.detail });
        } else {
          consider(endpoint, candidate.variant, partitionByModel ? position : 0, label);
        }
      }
    });
  }

  let ranked: Eligible[];
  if (catalogWide) {
    ranked = eligible;
  } else {
    const sorted = eligible.slice().sort(compareEligible);
    if (!allowFallbacks && order === undefined) {
      ranked = [];
      for (const entry of sorted) {
        // Without provider.order, "no fallbacks" keeps only each named model's primary endpoint.
        if (ranked.some((kept) => kept.endpoint.model === entry.endpoint.model)) {
          rejected.push(fallbacksDisabled(entry.endpoint, 'provider.allow_fallbacks is false: only the primary endpoint of each model is used'));
          eligibleCount--;
        } else {
          ranked.push(entry);
        }
      }
    } else {
      ranked = sorted;
    }
    ranked = ranked.slice(0, limit);
  }

  if (ranked.length === 0) {
    throw createNoEligibleModelError(request.model, rejected, scope);
  }
  const targets = ranked.map((entry, position) => toTarget(entry, position, ordering, order, profile, metrics));
  const plan: RoutePlan = {
    requested: request.model,
    kind: requested.kind,
    strategy,
    sortBy: sort?.by ?? null,
    variant: variant ?? null,
    targets,
    rejected,
    explanation: '',
    estimates: { promptTokens: profile.promptTokens, outputTokens: profile.outputTokens, outputTokensBasis: profile.outputTokensBasis },
    allowFallbacks,
    maxFallbacks: maxFallbacks ?? null,
    eligibleCount,
    scope,
    analysis: analysis ?? null,
  };
  plan.explanation = explain(plan, ranked[0], policy);
  return plan;
}

function toNamedModel(parsed: RequestedModel, name: string, position: number): NamedCandidate {
  if (parsed.kind !== 'model') {
    throw new PerpetuoError({
      kind: 'invalid-request',
      message: `models[${position}] is '${name}', a route; models[] takes model ids (author/model) to fall back to, in order.`,
    });
  }
  return { model: parsed.model, variant: parsed.variant, label: `models[] #${position + 1}` };
}

function resolveStrategy(requested: RequestedModel, policy: RoutingPolicy): RoutePlan['strategy'] {
  if (requested.kind === 'auto') {
    return 'auto';
  }
  if (requested.kind === 'route' && requested.strategy !== 'default') {
    return requested.strategy;
  }
  return policy.strategy;
}

function resolveSort(sort: ProviderPreferences['sort'], variant: ModelVariant | undefined): { by: ProviderSortBy; partition: 'model' | 'none' } | undefined {
  if (typeof sort === 'string') {
    return { by: sort, partition: 'model' };
  }
  if (sort !== undefined) {
    return { by: sort.by, partition: sort.partition ?? 'model' };
  }
  if (variant === 'floor') {
    return { by: 'price', partition: 'model' };
  }
  if (variant === 'nitro') {
    return { by: 'throughput', partition: 'model' };
  }
  return undefined;
}

function resolveOrdering(
  strategy: RoutePlan['strategy'],
  sort: { by: ProviderSortBy } | undefined,
  analysis: PromptAnalysis | undefined,
  policy: RoutingPolicy,
): Ordering {
  if (strategy === 'auto' && analysis !== undefined) {
    return { kind: 'auto', analysis };
  }
  if (sort !== undefined) {
    return { kind: 'sort', by: sort.by };
  }
  if (strategy === 'priority') {
    const entries = policy.priority ?? [];
    if (entries.length === 0) {
      throw new PerpetuoError({
        kind: 'config',
        message: "The 'priority' strategy needs your order: set perpetuo.routing.priority to a list of models, endpoints or providers (globs allowed).",
      });
    }
    return { kind: 'priority', entries, matchers: entries.map((entry) => compileGlobs([entry]) ?? /^$/) };
  }
  return { kind: 'strategy', strategy: strategy === 'auto' ? 'balanced' : strategy };
}

function toRequirements(parameters: readonly RequiredParameter[], index: CatalogIndex): ParameterRequirement[] {
  return parameters.map((parameter) => ({ parameter, mask: parameterMaskOf(index, parameter.anyOf) }));
}

/** Per catalog, the open-circuit flags of the sets of keys seen last; circuits open and close slowly, so a few suffice. */
const openCircuitFlags = new WeakMap<CatalogIndex, ContentCache<Uint8Array>>();
const OPEN_CIRCUIT_SETS_KEPT = 16;

/**
 * The open circuits as a flag per catalog position, so each endpoint's check is an array read.
 * Kept per catalog by the set's keys: the engine's snapshots bring a new set each time.
 */
function openCircuitPositions(openCircuits: ReadonlySet<string> | undefined, index: CatalogIndex): Uint8Array | undefined {
  if (openCircuits === undefined || openCircuits.size === 0) {
    return undefined;
  }
  const keys = [...openCircuits].sort();
  const byKeys = getOrCreate(openCircuitFlags, index, () => new ContentCache<Uint8Array>(OPEN_CIRCUIT_SETS_KEPT));
  const kept = byKeys.get([keys]);
  if (kept !== undefined) {
    return kept.value;
  }
  const open = new Uint8Array(index.endpoints.length);
  for (const key of keys) {
    for (const endpoint of index.byKey.get(key) ?? []) {
      open[endpoint.position] = 1;
    }
  }
  byKeys.set([keys], open);
  return open;
}

function buildRules(prefs: ProviderPreferences, policy: RoutingPolicy, availableProviders: ReadonlySet<string>, metrics: MetricsSnapshot, index: CatalogIndex): EligibilityRules {
  return {
    available: lowerSet(availableProviders),
    allowProviders: policy.allowProviders === undefined ? undefined : lowerSet(policy.allowProviders),
    only: prefs.only?.map((slug) => slug.toLowerCase()),
    ignore: prefs.ignore?.map((slug) => slug.toLowerCase()),
    allowModels: compiledGlobs(policy.allowModels),
    denyModels: compiledGlobs(policy.denyModels),
    openCircuits: openCircuitPositions(metrics.openCircuits, index),
    // provider.zdr can only add the requirement, never lift the policy's (OpenRouter ORs them).
    zdrRequiredBy: policy.requireZdr === true ? 'your policy (requireZdr)' : prefs.zdr === true ? 'provider.zdr' : undefined,
    denyDataCollection: prefs.data_collection === 'deny',
    quantizations: prefs.quantizations === undefined ? undefined : new Set(prefs.quantizations),
    maxPrice: prefs.max_price,
    costCapUsd: policy.maxCostPerRequestUsd,
    allowUnpriced: policy.allowUnpriced === true,
  };
}

const lowerSets = new WeakMap<Iterable<string>, ReadonlySet<string>>();

function lowerSet(values: Iterable<string>): ReadonlySet<string> {
  return getOrCreate(lowerSets, values, (strings) => new Set(Array.from(strings, (value) => value.toLowerCase())));
}

/** Compiled glob lists by content: the engine's policies are fresh objects, their lists fresh arrays. A policy has a handful; the bound only stops a pathological caller. */
const compiledGlobLists = new ContentCache<RegExp | undefined>(64);

function compiledGlobs(globs: readonly string[] | undefined): RegExp | undefined {
  if (globs === undefined) {
    return undefined;
  }
  const kept = compiledGlobLists.get([globs]);
  if (kept !== undefined) {
    return kept.value;
  }
  const compiled = compileGlobs(globs);
  compiledGlobLists.set([globs], compiled);
  return compiled;
}

function validateProviderNames(prefs: ProviderPreferences, policy: RoutingPolicy, index: CatalogIndex, available: ReadonlySet<string>): void {
  const lists: Array<[string, readonly string[] | undefined]> = [
    ['provider.order', prefs.order],
    ['provider.only', prefs.only],
    ['provider.ignore', prefs.ignore],
    ['allowProviders', policy.allowProviders],
  ];
  let known: Set<string> | undefined;
  for (const [field, slugs] of lists) {
    for (const slug of slugs ?? []) {
      const lower = slug.toLowerCase();
      const base = lower.split('/')[0] ?? lower;
      if (index.byProvider.has(lower) || index.byProvider.has(base) || available.has(slug) || available.has(base)) {
        continue;
      }
      if ([...index.byProvider.keys()].some((provider) => matchesProviderSlug(provider, lower))) {
        continue;
      }
      known ??= new Set([...index.byProvider.values()].map((endpoints) => endpoints[0]?.endpoint.provider ?? '').concat([...available]));
      known.delete('');
      const close = findCloseMatches(slug, known);
      throw new PerpetuoError({
        // provider{} comes with the request; allowProviders is the user's own setting.
        kind: field.startsWith('provider.') ? 'invalid-request' : 'config',
        message: `Unknown provider '${slug}' in ${field}.${close.length > 0 ? ` Did you mean ${close.join(', ')}?` : ''} Known providers: ${[...known].sort().join(', ')}.`,
      });
    }
  }
}

function rankInOrder(providerLower: string, order: readonly string[]): number {
  for (let position = 0; position < order.length; position++) {
    if (matchesProviderSlug(providerLower, order[position] ?? '')) {
      return position;
    }
  }
  return order.length;
}

/** Writes the rank key of an endpoint under the plan's ordering into `out`. */
function rankKeyInto(
  ordering: Ordering,
  endpoint: IndexedEndpoint,
  costUsd: number | undefined,
  performance: EndpointPerformance | undefined,
  profile: RequestProfile,
  out: RankKey,
): void {
  if (ordering.kind === 'priority') {
    out.score = priorityRank(endpoint, ordering.matchers);
    out.secondary = costUsd ?? Number.POSITIVE_INFINITY;
    return;
  }
  const measured = performance ?? NO_PERFORMANCE;
  rankKeyOf(
    ordering,
    endpoint.tier ?? Number.NaN,
    endpoint.reasoning,
    costUsd ?? Number.NaN,
    measured.ttftMs ?? Number.NaN,
    measured.throughput ?? Number.NaN,
    measured.errorRate ?? Number.NaN,
    profile.outputTokens,
    out,
  );
}

const NO_PERFORMANCE: EndpointPerformance = { ttftMs: undefined, throughput: undefined, errorRate: undefined, source: 'none' };

/** Position of the first priority entry naming the model, the endpoint or its provider; infinite when none does. */
function priorityRank(endpoint: IndexedEndpoint, matchers: readonly RegExp[]): number {
  for (let position = 0; position < matchers.length; position++) {
    const matcher = matchers[position];
    if (matcher !== undefined && (matcher.test(endpoint.model.id) || matcher.test(endpoint.key) || matcher.test(endpoint.endpoint.provider))) {
      return position;
    }
  }
  return Number.POSITIVE_INFINITY;
}

function findDemotion(
  endpoint: IndexedEndpoint,
  prefs: ProviderPreferences,
  metrics: MetricsSnapshot,
  softParameters: readonly ParameterRequirement[],
): string | undefined {
  for (const requirement of softParameters) {
    if (!supports(endpoint, requirement)) {
      return `lacks ${requirement.parameter.name} (soft preference; set provider.require_parameters to exclude)`;
    }
  }
  const slow = failsThreshold(endpoint, metrics, prefs.preferred_min_throughput, 'throughput', isBelow);
  if (slow !== undefined) {
    return `throughput ${slow.percentile} ${Math.round(slow.value)} tok/s is below preferred_min_throughput ${slow.limit}`;
  }
  const late = failsThreshold(endpoint, metrics, prefs.preferred_max_latency, 'ttftMs', isLaterThanSeconds);
  if (late !== undefined) {
    return `latency ${late.percentile} ${(late.value / 1000).toFixed(2)} s is above preferred_max_latency ${late.limit} s`;
  }
  return undefined;
}

function isBelow(value: number, limit: number): boolean {
  return value < limit;
}

/** preferred_max_latency is in seconds; our TTFT figures are in milliseconds. */
function isLaterThanSeconds(valueMs: number, limitSeconds: number): boolean {
  return valueMs > limitSeconds * 1000;
}

function failsThreshold(
  endpoint: IndexedEndpoint,
  metrics: MetricsSnapshot,
  threshold: PercentileThreshold | undefined,
  measure: 'throughput' | 'ttftMs',
  fails: (value: number, limit: number) => boolean,
): { percentile: keyof Percentiles; value: number; limit: number } | undefined {
  if (threshold === undefined) {
    return undefined;
  }
  const limits: Partial<Percentiles> = typeof threshold === 'number' ? { p50: threshold } : threshold;
  for (const percentile of ['p50', 'p75', 'p90', 'p99'] as const) {
    const limit = limits[percentile];
    if (limit === undefined) {
      continue;
    }
    // An endpoint nobody has measured is not moved: the preference is about known slowness.
    const value = readPercentile(endpoint, metrics, measure, percentile);
    if (value !== undefined && fails(value, limit)) {
      return { percentile, value, limit };
    }
  }
  return undefined;
}

interface CatalogScope {
  /** 1 at the row (of `CatalogIndex.figures`) of each endpoint the policy's globs admit to a catalog-wide route. */
  inScope: Uint8Array;
  tables: FigureTables;
  /** Rows in scope in each block, and in each provider block, of `tables`. */
  inScopeByBlock: Int32Array;
  inScopeByProvider: Int32Array;
  models: number;
  /** In-scope models by lower-cased provider, for the one-line provider rejections. */
  modelsByProvider: ReadonlyMap<string, number>;
  note: string | null;
}

/** Per catalog, the scopes of the glob lists seen last: one per policy a user switches between, so a few suffice. */
const scopes = new WeakMap<CatalogIndex, ContentCache<CatalogScope>>();
const SCOPES_KEPT = 16;

/**
 * Which endpoints a catalog-wide route considers at all: those the policy's allowModels /
 * denyModels admit, and for `auto` its autoCandidates, for `priority` the priority list. The
 * result depends only on those glob lists and the catalog, so it is kept per catalog under a key
 * made of the lists' content: the engine overlays guardrails on a fresh policy object for every
 * request, and a policy edited in place must not find the scope of its old globs.
 */
function scopeCatalog(index: CatalogIndex, policy: RoutingPolicy, ordering: Ordering, auto: boolean): CatalogScope {
  const mode = auto ? 'auto' : ordering.kind === 'priority' ? 'priority' : 'route';
  const extraGlobs = mode === 'auto' ? policy.autoCandidates : mode === 'priority' ? policy.priority : undefined;
  const key = [mode, policy.allowModels, policy.denyModels, extraGlobs];
  const byKey = getOrCreate(scopes, index, () => new ContentCache<CatalogScope>(SCOPES_KEPT));
  const cached = byKey.get(key);
  if (cached !== undefined) {
    return cached.value;
  }
  const allow = compileGlobs(policy.allowModels);
  const deny = compileGlobs(policy.denyModels);
  const extra = compileGlobs(extraGlobs);
  const inScope = new Uint8Array(index.endpoints.length);
  const models = new Set<CatalogModel>();
  const modelsByProvider = new Map<string, number>();
  for (const [providerLower, endpoints] of index.byProvider) {
    const providerModels = new Set<CatalogModel>();
    for (const endpoint of endpoints) {
      const id = endpoint.model.id;
      const matches = (glob: RegExp): boolean => glob.test(id) || glob.test(endpoint.key) || (mode === 'priority' && glob.test(endpoint.endpoint.provider));
      const admitted = (deny === undefined || !matches(deny)) && (allow === undefined || matches(allow)) && (extra === undefined || matches(extra));
      if (admitted) {
        inScope[index.figures.rowOf[endpoint.position] ?? 0] = 1;
        models.add(endpoint.model);
        providerModels.add(endpoint.model);
      }
    }
    modelsByProvider.set(providerLower, providerModels.size);
  }
  const notes: string[] = [];
  if (policy.allowModels !== undefined) notes.push(`allowModels [${policy.allowModels.join(', ')}]`);
  if (policy.denyModels !== undefined) notes.push(`denyModels [${policy.denyModels.join(', ')}]`);
  if (mode === 'auto' && policy.autoCandidates !== undefined) notes.push(`autoCandidates [${policy.autoCandidates.join(', ')}]`);
  if (mode === 'priority') notes.push(`priority [${(policy.priority ?? []).join(', ')}]`);
  const tables = figureTablesOf(index);
  const scope: CatalogScope = {
    inScope,
    tables,
    inScopeByBlock: countSetByBlock(tables.blocks, inScope),
    inScopeByProvider: countSetByBlock(tables.providerBlocks, inScope),
    models: models.size,
    modelsByProvider,
    note: notes.length > 0 ? notes.join(', ') : null,
  };
  byKey.set(key, scope);
  return scope;
}

/** A catalog's figures in blocks of a few rows and in blocks of a whole provider. */
interface FigureTables {
  blocks: FigureBlocks;
  providerBlocks: FigureBlocks;
}

const tablesByCatalog = new WeakMap<CatalogIndex, FigureTables>();

function figureTablesOf(index: CatalogIndex): FigureTables {
  return getOrCreate(tablesByCatalog, index, (catalog) => ({ blocks: tabulateFigureBlocks(catalog), providerBlocks: tabulateFigureBlocks(catalog, Number.POSITIVE_INFINITY) }));
}

const openBlocksByFlags = new WeakMap<Uint8Array, { blocks: Uint8Array; providers: Uint8Array }>();

/** The blocks and provider blocks holding an open circuit, kept with the open-circuit flags (themselves kept per set of open circuits). */
function openCircuitBlocks(tables: FigureTables, index: CatalogIndex, openCircuits: Uint8Array): { blocks: Uint8Array; providers: Uint8Array } {
  return getOrCreate(openBlocksByFlags, openCircuits, (flags) => ({
    blocks: blocksAnySetByPosition(tables.blocks, index.figures.meta, flags),
    providers: blocksAnySetByPosition(tables.providerBlocks, index.figures.meta, flags),
  }));
}

function fallbacksDisabled(endpoint: IndexedEndpoint, detail: string): RejectedCandidate {
  return { modelId: endpoint.model.id, provider: endpoint.endpoint.provider, reason: 'fallbacks-disabled', detail };
}

function toTarget(
  entry: Eligible,
  position: number,
  ordering: Ordering,
  order: readonly string[] | undefined,
  profile: RequestProfile,
  metrics: MetricsSnapshot,
): RouteTarget {
  // Concatenated rather than joined from an array: five targets a plan, every plan.
  const performance = entry.performance ?? resolvePerformance(entry.endpoint, metrics);
  let why = describeTargetRank(ordering, entry.endpoint, entry.costUsd, performance, profile, position);
  if (order !== undefined && entry.orderRank < order.length) {
    why = `provider.order #${entry.orderRank + 1}; ${why}`;
  }
  if (entry.label !== undefined) {
    why = `${entry.label}; ${why}`;
  }
  if (entry.demoted !== undefined) {
    why = `${why}; moved to the end: ${entry.demoted}`;
  }
  const endpoint = entry.endpoint.endpoint;
  return {
    modelId: entry.endpoint.model.id,
    provider: endpoint.provider,
    upstreamModelId: endpoint.upstreamModelId,
    estimatedCostUsd: entry.costUsd ?? null,
    contextLength: endpoint.contextLength ?? null,
    why,
  };
}

function explain(plan: RoutePlan, first: Eligible | undefined, policy: RoutingPolicy): string {
  const target = plan.targets[0];
  if (target === undefined || first === undefined) {
    return `No target for ${plan.requested}.`;
  }
  const suffix = describeFallbackCount(plan.targets.length - 1) + describeRejectedCount(plan.rejected);
  const analysis = plan.analysis;
  if (analysis !== null) {
    const tier = first.endpoint.model.tier ?? 3;
    const fit =
      tier <= analysis.desiredTier
        ? `tier ${tier} is the closest fit for ${analysis.complexity} ${analysis.taskType} work`
        : `best available (tier ${tier}; tier ${analysis.desiredTier} wanted)`;
    const cost = first.costUsd === undefined ? 'price unknown' : `est. ${formatUsd(first.costUsd)}`;
    const cap = policy.maxCostPerRequestUsd === undefined ? '' : ` under your ${formatUsd(policy.maxCostPerRequestUsd)}/request cap`;
    return `${analysis.taskType}, ${analysis.complexity} complexity, ${formatTokenCount(analysis.promptTokens)} tokens → ${target.modelId} via ${target.provider}: ${fit}, ${cost}${cap}${suffix}`;
  }
  return `${target.modelId} via ${target.provider}: ${target.why}${suffix}`;
}
