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
 * The hard rules of one catalog-wide plan as numbers, for {@link screenEndpointFigures}. It only
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
  /** Where {@link screenEndpointFigures} writes the cost of the endpoint it cleared: a double returned would be boxed. */
  costUsd: number;
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
    costUsd: 0,
  };
}

/**
 * True when the endpoint at `row` of the figures certainly passes every hard check, with the
 * request's estimated cost on it in `screen.costUsd`; false when it may not (an open circuit, a
 * missing capability, an unknown price, fees or long-context prices, the cost cap…), and the
 * caller must run `checkEndpoint`. The cost is the one `estimateEndpointCost` computes, to the
 * bit: without fees its last two terms add zero.
 */
export function screenEndpointFigures(figures: EndpointFigures, row: number, screen: FigureScreen, openCircuits: Uint8Array | undefined): boolean {
  const meta = figures.meta;
  const at = row * META_COLUMNS;
  const flags = meta[at + META_FLAGS] ?? FLAG_IRREGULAR;
  if ((flags & screen.requiredFlags) !== screen.requiredFlags || (flags & FLAG_IRREGULAR) !== 0) {
    return false;
  }
  if (openCircuits !== undefined && openCircuits[meta[at + META_POSITION] ?? 0] === 1) {
    return false;
  }
  if (screen.needed > (meta[at + META_CONTEXT] ?? 0) || screen.requestedMaxOutput > (meta[at + META_MAX_OUTPUT] ?? 0)) {
    return false;
  }
  const parameters = meta[at + META_PARAMETERS] ?? 0;
  for (const mask of screen.parameterMasks) {
    if ((parameters & mask) === 0) {
      return false;
    }
  }
  const cost = screen.promptTokens * (figures.prices[row * 2] ?? Number.NaN) + screen.outputTokens * (figures.prices[row * 2 + 1] ?? Number.NaN);
  // A NaN cost is an unknown price: the full checks decide.
  if (Number.isNaN(cost) || (screen.costCapUsd !== undefined && exceeds(cost, screen.costCapUsd))) {
    return false;
  }
  screen.costUsd = cost;
  return true;
}

/**
 * Screens `count` rows from `firstRow`: `costs[i]` is the cost of row `firstRow + i` when the
 * screen clears it, NaN when it is out of scope or needs the full checks. A pass of its own, so
 * the JIT inlines the screen here and the ranking in the caller, each within its own budget.
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
  for (let offset = 0; offset < count; offset++) {
    const row = firstRow + offset;
    costs[offset] = inScope[row] === 1 && screenEndpointFigures(figures, row, screen, openCircuits) ? screen.costUsd : Number.NaN;
  }
}
