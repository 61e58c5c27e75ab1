import { exceeds, type EligibilityRules, type ParameterRequirement } from './check-endpoint';
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
  type EndpointFigures,
} from './index-catalog';
import type { RequestProfile } from './profile-request';

/**
 * The hard rules of one catalog-wide plan as numbers, for {@link screenRows}. It only
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
  parameterMasks: readonly number[];
  promptTokens: number;
  outputTokens: number;
  costCapUsd: number | undefined;
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
    parameterMasks,
    promptTokens: profile.promptTokens,
    outputTokens: profile.outputTokens,
    costCapUsd: rules.costCapUsd,
  };
}

/**
 * Screens `count` rows of the figures from `firstRow`. `costs[i]` is the request's estimated
 * cost on row `firstRow + i` when that endpoint is in scope and certainly passes every hard
 * check; NaN when it is out of scope or may not pass (an open circuit, a missing capability, an
 * unknown price, fees or long-context prices, the cost cap…), and the caller must run
 * `checkEndpoint`. The cost is the one `estimateEndpointCost` computes, to the bit: without fees
 * its last two terms add zero. One loop with nothing to call, since it runs for every endpoint.
 */
export function screenRows(
  figures: EndpointFigures,
  firstRow: number,
  count: number,
  screen: FigureScreen,
  inScope: Uint8Array,
  openCircuits: Uint8Array | undefined,
  costs: Float64Array,
): void {
  const { meta, prices } = figures;
  const { requiredFlags, needed, requestedMaxOutput, parameterMasks, promptTokens, outputTokens, costCapUsd } = screen;
  rows: for (let offset = 0; offset < count; offset++) {
    const row = firstRow + offset;
    const at = row * META_COLUMNS;
    costs[offset] = Number.NaN;
    const flags = meta[at + META_FLAGS] ?? FLAG_IRREGULAR;
    if (inScope[row] !== 1 || (flags & requiredFlags) !== requiredFlags || (flags & FLAG_IRREGULAR) !== 0) {
      continue;
    }
    if (openCircuits !== undefined && openCircuits[meta[at + META_POSITION] ?? 0] === 1) {
      continue;
    }
    if (needed > (meta[at + META_CONTEXT] ?? 0) || requestedMaxOutput > (meta[at + META_MAX_OUTPUT] ?? 0)) {
      continue;
    }
    const parameters = meta[at + META_PARAMETERS] ?? 0;
    for (let index = 0; index < parameterMasks.length; index++) {
      if ((parameters & (parameterMasks[index] ?? 0)) === 0) {
        continue rows;
      }
    }
    const cost = promptTokens * (prices[row * 2] ?? Number.NaN) + outputTokens * (prices[row * 2 + 1] ?? Number.NaN);
    // A NaN cost is an unknown price: the full checks decide.
    if (Number.isNaN(cost) || (costCapUsd !== undefined && exceeds(cost, costCapUsd))) {
      continue;
    }
    costs[offset] = cost;
  }
}
