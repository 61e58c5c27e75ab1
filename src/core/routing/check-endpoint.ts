import { effectivePrices } from './estimate-endpoint-cost';
import { formatTokenCount } from './format-token-count';
import { formatUsd } from './format-usd';
import type { IndexedEndpoint } from './index-catalog';
import type { ProviderPreferences } from './provider-preferences';
import type { RequestProfile, RequiredParameter } from './profile-request';
import type { RejectReason } from './route-plan';

/** The variants of a model id the router understands. */
export type ModelVariant = 'free' | 'floor' | 'nitro' | 'thinking';

/** The hard rules of one plan, resolved once from the policy and the request's `provider{}`. */
export interface EligibilityRules {
  /** Lower-cased provider ids with a key. */
  available: ReadonlySet<string>;
  /** Lower-cased; undefined when the policy sets no ceiling. */
  allowProviders: ReadonlySet<string> | undefined;
  /** Lower-cased slugs of provider.only / provider.ignore. */
  only: readonly string[] | undefined;
  ignore: readonly string[] | undefined;
  allowModels: RegExp | undefined;
  denyModels: RegExp | undefined;
  /** 1 at the catalog position of each endpoint whose circuit is open; undefined when none is. */
  openCircuits: Uint8Array | undefined;
  /** Why ZDR is required ("your policy", "provider.zdr"), or undefined when it is not. */
  zdrRequiredBy: string | undefined;
  denyDataCollection: boolean;
  quantizations: ReadonlySet<string> | undefined;
  maxPrice: ProviderPreferences['max_price'];
  costCapUsd: number | undefined;
  allowUnpriced: boolean;
}

/**
 * A parameter the endpoint must support, with the mask of its names in the catalog's
 * parameter bits (`parameterMaskOf`); undefined when it must be checked by name.
 */
export interface ParameterRequirement {
  parameter: RequiredParameter;
  mask: number | undefined;
}

/** Why the checks excluded an endpoint. */
export interface EndpointRejection {
  reason: RejectReason;
  detail: string;
}

/**
 * True when a provider slug from `provider{}` names this provider: a base slug
 * (`google-vertex`) also matches its regional or tagged ids (`google-vertex/us-east5`).
 */
export function matchesProviderSlug(providerLower: string, slugLower: string): boolean {
  return providerLower === slugLower || (providerLower.length > slugLower.length && providerLower.startsWith(`${slugLower}/`));
}

/** Checks that depend only on the provider, so a catalog-wide route runs them once per provider. */
export function checkProvider(providerLower: string, provider: string, rules: EligibilityRules): EndpointRejection | undefined {
  if (!rules.available.has(providerLower)) {
    return { reason: 'no-key', detail: `no API key for ${provider}` };
  }
  if (rules.allowProviders !== undefined && !rules.allowProviders.has(providerLower)) {
    return { reason: 'provider-not-allowed', detail: `${provider} is not in your allowProviders` };
  }
  if (rules.only !== undefined && !rules.only.some((slug) => matchesProviderSlug(providerLower, slug))) {
    return { reason: 'not-in-only', detail: `${provider} is not in provider.only [${rules.only.join(', ')}]` };
  }
  if (rules.ignore !== undefined && rules.ignore.some((slug) => matchesProviderSlug(providerLower, slug))) {
    return { reason: 'provider-ignored', detail: `${provider} is in provider.ignore` };
  }
  return undefined;
}

/** The glob checks of the policy's allowModels / denyModels, on the model id and on `provider/upstreamId`. */
export function checkModelGlobs(candidate: IndexedEndpoint, rules: EligibilityRules): EndpointRejection | undefined {
  if (rules.denyModels !== undefined && (rules.denyModels.test(candidate.model.id) || rules.denyModels.test(candidate.key))) {
    return { reason: 'model-denied', detail: `${candidate.model.id} (${candidate.key}) matches your denyModels` };
  }
  if (rules.allowModels !== undefined && !rules.allowModels.test(candidate.model.id) && !rules.allowModels.test(candidate.key)) {
    return { reason: 'model-not-allowed', detail: `neither ${candidate.model.id} nor ${candidate.key} matches your allowModels` };
  }
  return undefined;
}

/**
 * Every endpoint-level hard filter, cheapest first; undefined when the endpoint passes.
 * `costUsd` is the request's estimated cost on the endpoint (`estimateEndpointCost`), which
 * the price checks read. Provider-level and glob checks are separate ({@link checkProvider},
 * {@link checkModelGlobs}) so that catalog-wide routes can run them per group. Nothing is
 * allocated for an endpoint that passes: this runs for thousands of endpoints per route.
 */
export function checkEndpoint(
  candidate: IndexedEndpoint,
  profile: RequestProfile,
  rules: EligibilityRules,
  variant: ModelVariant | undefined,
  hardParameters: readonly ParameterRequirement[],
  costUsd: number | undefined,
): EndpointRejection | undefined {
  const endpoint = candidate.endpoint;
  if (rules.openCircuits !== undefined && rules.openCircuits[candidate.position] === 1) {
    return { reason: 'circuit-open', detail: `${candidate.key} failed repeatedly and is cooling down` };
  }
  const tierVerdict = checkServiceTier(candidate, variant);
  if (tierVerdict) {
    return tierVerdict;
  }
  if (rules.zdrRequiredBy !== undefined && !candidate.zdr) {
    return {
      reason: 'zdr-required',
      detail: `${rules.zdrRequiredBy} requires zero data retention; ${endpoint.provider} is ${endpoint.dataPolicy.zdr === false ? 'not ZDR' : 'not known to be ZDR'}`,
    };
  }
  if (rules.denyDataCollection && !candidate.noDataCollection) {
    const policy = endpoint.dataPolicy;
    const what = policy.trainsOnPrompts === true ? 'trains on prompts' : policy.retainsPrompts === true ? 'retains prompts' : 'has an unknown retention policy';
    return { reason: 'data-collection', detail: `provider.data_collection is deny and ${endpoint.provider} ${what}` };
  }
  if (rules.quantizations !== undefined) {
    const quantization = endpoint.quantization ?? 'unknown';
    if (!rules.quantizations.has(quantization)) {
      return { reason: 'quantization', detail: `${quantization} is not in provider.quantizations [${[...rules.quantizations].join(', ')}]` };
    }
  }
  if ((profile.modalityMask & ~candidate.modalityMask) !== 0) {
    const missing = profile.modalities.filter((modality) => !endpoint.inputModalities.includes(modality));
    return { reason: 'modality', detail: `the request has ${missing.join(', ')} input; the endpoint accepts ${endpoint.inputModalities.join(', ')}` };
  }
  if ((profile.outputModalityMask & ~candidate.outputModalityMask) !== 0) {
    const output = profile.outputModalities.find((modality) => !endpoint.outputModalities.includes(modality));
    return {
      reason: 'output-modality',
      detail: `the request asks for ${output ?? 'other'} output; the endpoint produces ${endpoint.outputModalities.join(', ')}`,
    };
  }
  const needed = profile.promptTokens + (profile.requestedMaxOutput ?? 0);
  if (candidate.contextLength !== undefined && needed > candidate.contextLength) {
    return {
      reason: 'context-length',
      detail: `needs ~${formatTokenCount(needed)} tokens (prompt${profile.requestedMaxOutput === undefined ? '' : ' + max output'}), window is ${formatTokenCount(candidate.contextLength)}`,
    };
  }
  if (profile.requestedMaxOutput !== undefined && candidate.maxOutputTokens !== undefined && profile.requestedMaxOutput > candidate.maxOutputTokens) {
    return {
      reason: 'max-output',
      detail: `maxOutputTokens ${profile.requestedMaxOutput} is above the endpoint's limit of ${candidate.maxOutputTokens}`,
    };
  }
  for (const requirement of hardParameters) {
    if (!supports(candidate, requirement)) {
      return { reason: 'missing-parameter', detail: `the endpoint does not support ${requirement.parameter.name}` };
    }
  }
  if (variant === 'thinking' && !candidate.parameters.has('reasoning')) {
    return { reason: 'missing-parameter', detail: ':thinking needs reasoning, which the endpoint does not support' };
  }
  return checkPrice(candidate, profile, rules, costUsd);
}

/** True when the endpoint supports one of the requirement's parameter names. */
export function supports(candidate: IndexedEndpoint, requirement: ParameterRequirement): boolean {
  if (requirement.mask !== undefined) {
    return (candidate.parameterMask & requirement.mask) !== 0;
  }
  return requirement.parameter.anyOf.some((name) => candidate.parameters.has(name));
}

function checkServiceTier(candidate: IndexedEndpoint, variant: ModelVariant | undefined): EndpointRejection | undefined {
  if (variant === 'free') {
    return candidate.free ? undefined : { reason: 'not-free', detail: ':free asked and the endpoint is paid' };
  }
  switch (candidate.serviceTier) {
    case 'standard':
      return undefined;
    case 'free':
      // OpenRouter serves free tiers under their own `:free` id, with their own rate limits.
      return { reason: 'service-tier', detail: 'free-tier endpoint: ask for the :free variant to use it' };
    case 'flex':
      return variant === 'floor' ? undefined : { reason: 'service-tier', detail: 'flex-tier endpoint: only the :floor variant admits it' };
    case 'priority':
      return variant === 'nitro' ? undefined : { reason: 'service-tier', detail: 'priority-tier endpoint: only the :nitro variant admits it' };
  }
}

/**
 * Floating-point slack for price comparisons: `0.000003 × 1e6` is `3.0000000000000004`, which
 * must not fail a `max_price.prompt` of 3.
 */
const PRICE_EPSILON = 1e-9;

/** `value` above `limit`, beyond floating-point slack. */
export function exceeds(value: number, limit: number): boolean {
  return value > costLimitOf(limit);
}

/** The largest value {@link exceeds} admits under `limit`, for loops that compare many values with one limit. */
export function costLimitOf(limit: number): number {
  return limit * (1 + PRICE_EPSILON) + Number.EPSILON;
}

function checkPrice(candidate: IndexedEndpoint, profile: RequestProfile, rules: EligibilityRules, costUsd: number | undefined): EndpointRejection | undefined {
  if (costUsd === undefined && !rules.allowUnpriced) {
    return {
      reason: 'price-unknown',
      detail: `${candidate.endpoint.provider} publishes no ${candidate.inputPrice === undefined ? 'input' : 'output'} price for ${candidate.endpoint.upstreamModelId}; set allowUnpriced to use it`,
    };
  }
  const maxPrice = rules.maxPrice;
  if (maxPrice !== undefined) {
    const prices = effectivePrices(candidate, profile.promptTokens);
    if (maxPrice.prompt !== undefined && (prices.input === undefined || exceeds(prices.input * 1e6, maxPrice.prompt))) {
      return { reason: 'max-price', detail: `prompt price ${perMillion(prices.input)} is above provider.max_price.prompt $${maxPrice.prompt}/M` };
    }
    if (maxPrice.completion !== undefined && (prices.output === undefined || exceeds(prices.output * 1e6, maxPrice.completion))) {
      return { reason: 'max-price', detail: `completion price ${perMillion(prices.output)} is above provider.max_price.completion $${maxPrice.completion}/M` };
    }
    if (maxPrice.request !== undefined && exceeds(candidate.requestPrice, maxPrice.request)) {
      return { reason: 'max-price', detail: `per-request fee ${formatUsd(candidate.requestPrice)} is above provider.max_price.request $${maxPrice.request}` };
    }
    if (maxPrice.image !== undefined && profile.images > 0 && exceeds(candidate.imagePrice, maxPrice.image)) {
      return { reason: 'max-price', detail: `image price ${formatUsd(candidate.imagePrice)} is above provider.max_price.image $${maxPrice.image}` };
    }
  }
  if (rules.costCapUsd !== undefined) {
    if (costUsd === undefined) {
      return { reason: 'cost-cap', detail: `price unknown, so your ${formatUsd(rules.costCapUsd)}/request cap cannot be checked` };
    }
    if (exceeds(costUsd, rules.costCapUsd)) {
      return { reason: 'cost-cap', detail: `est. ${formatUsd(costUsd)} is above your ${formatUsd(rules.costCapUsd)}/request cap` };
    }
  }
  return undefined;
}

function perMillion(price: number | undefined): string {
  return price === undefined ? 'unknown' : `$${+(price * 1e6).toPrecision(6)}/M`;
}
