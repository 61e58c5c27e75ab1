import { costLimitOf, type EligibilityRules, type ParameterRequirement } from './check-endpoint';
import {
  FLAG_IRREGULAR,
  FLAG_NO_DATA_COLLECTION,
  FLAG_STANDARD_TIER,
  FLAG_ZDR,
  META_COLUMNS,
  META_CONTEXT,
  META_FLAGS,
  META_MAX_OUTPUT,
  META_PARAMETERS,
  META_POSITION,
  OUTPUT_MODALITY_SHIFT,
} from './index-catalog';
import type { RequestProfile } from './profile-request';

/**
 * The hard rules of one catalog-wide plan as numbers, for {@link screenRow}. It only
 * clears endpoints that certainly pass every check of `checkEndpoint`; anything else goes
 * through `checkEndpoint`, which alone words rejections, so the decision record is the same.
 */
export interface FigureScreen {
  /** Flag bits an endpoint must all have: standard tier, modalities, ZDR or no data collection when asked. */
  requiredFlags: number;
  /** Prompt plus requested output, against the context window. */
  needed: number;
  /** The request's maxOutputTokens; -Infinity when it sets none. */
  requestedMaxOutput: number;
  /** One mask per required parameter; an endpoint's parameter bits must intersect each. */
  parameterMasks: Int32Array;
  promptTokens: number;
  outputTokens: number;
  /**
   * The highest cost the cost cap admits: `exceeds(cost, cap)` is `cost > cap × (1 + ε) + EPSILON`,
   * computed here once with the same operations, so the comparison gives the same answer to the bit.
   * Infinite without a cap.
   */
  costLimit: number;
}

/**
 * The screen of a catalog-wide plan (no variant), or undefined when its rules need the full
 * checks for every endpoint anyway: provider.quantizations, provider.max_price, or a required
 * parameter the catalog's parameter bits cannot express.
 */
export function compileFigureScreen(rules: EligibilityRules, profile: RequestProfile, hardParameters: readonly ParameterRequirement[]): FigureScreen | undefined {
  if (rules.quantizations !== undefined || rules.maxPrice !== undefined) {
    return undefined;
  }
  const parameterMasks: number[] = [];
  for (const requirement of hardParameters) {
    if (requirement.mask === undefined) {
      return undefined;
    }
    parameterMasks.push(requirement.mask);
  }
  return {
    requiredFlags:
      FLAG_STANDARD_TIER |
      (rules.zdrRequiredBy !== undefined ? FLAG_ZDR : 0) |
      (rules.denyDataCollection ? FLAG_NO_DATA_COLLECTION : 0) |
      profile.modalityMask |
      (profile.outputModalityMask << OUTPUT_MODALITY_SHIFT),
    needed: profile.promptTokens + (profile.requestedMaxOutput ?? 0),
    requestedMaxOutput: profile.requestedMaxOutput ?? Number.NEGATIVE_INFINITY,
    parameterMasks: Int32Array.from(parameterMasks),
    promptTokens: profile.promptTokens,
    outputTokens: profile.outputTokens,
    costLimit: rules.costCapUsd === undefined ? Number.POSITIVE_INFINITY : costLimitOf(rules.costCapUsd),
  };
}

/**
 * Screens row `row` of the figures: the request's estimated cost on that endpoint when it
 * certainly passes every hard check; NaN when it may not (an open circuit, a missing
 * capability, an unknown price, fees or long-context prices, the cost cap…), and the caller must
 * run `checkEndpoint`. The cost is the one `estimateEndpointCost` computes, to the bit: without
 * fees its last two terms add zero. Scope is the caller's. The screen comes as plain numbers
 * (the caller reads them out of the {@link FigureScreen} once, not once per row), and nothing
 * here calls anything, so the JIT inlines it into the catalog-wide walk, which runs it for every
 * endpoint with the numbers in registers.
 */
export function screenRow(
  meta: Int32Array,
  prices: Float64Array,
  row: number,
  requiredFlags: number,
  needed: number,
  requestedMaxOutput: number,
  parameterMasks: Int32Array,
  promptTokens: number,
  outputTokens: number,
  costLimit: number,
  openCircuits: Uint8Array | undefined,
): number {
  const at = row * META_COLUMNS;
  const flags = meta[at + META_FLAGS] ?? FLAG_IRREGULAR;
  if ((flags & requiredFlags) !== requiredFlags || (flags & FLAG_IRREGULAR) !== 0) {
    return Number.NaN;
  }
  if (openCircuits !== undefined && openCircuits[meta[at + META_POSITION] ?? 0] === 1) {
    return Number.NaN;
  }
  if (needed > (meta[at + META_CONTEXT] ?? 0) || requestedMaxOutput > (meta[at + META_MAX_OUTPUT] ?? 0)) {
    return Number.NaN;
  }
  if (parameterMasks.length > 0) {
    const parameters = meta[at + META_PARAMETERS] ?? 0;
    for (let index = 0; index < parameterMasks.length; index++) {
      if ((parameters & (parameterMasks[index] ?? 0)) === 0) {
        return Number.NaN;
      }
    }
  }
  const cost = promptTokens * (prices[row * 2] ?? Number.NaN) + outputTokens * (prices[row * 2 + 1] ?? Number.NaN);
  // `!(cost <= limit)` is also true of a NaN cost, an unknown price: the full checks decide.
  return cost <= costLimit ? cost : Number.NaN;
}
