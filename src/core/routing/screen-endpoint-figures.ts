import { exceeds, type EligibilityRules, type ParameterRequirement } from './check-endpoint';
import {
  FIGURE_COLUMNS,
  FIGURE_CONTEXT,
  FIGURE_FLAGS,
  FIGURE_IMAGE_PRICE,
  FIGURE_INPUT_PRICE,
  FIGURE_MAX_OUTPUT,
  FIGURE_OUTPUT_PRICE,
  FIGURE_PARAMETERS,
  FIGURE_POSITION,
  FIGURE_REQUEST_PRICE,
  FLAG_NO_DATA_COLLECTION,
  FLAG_OVERRIDES,
  FLAG_STANDARD_TIER,
  FLAG_ZDR,
  OUTPUT_MODALITY_SHIFT,
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
  images: number;
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
    images: profile.images,
    costCapUsd: rules.costCapUsd,
  };
}

/**
 * The estimated cost of the request on the endpoint at `row` of `EndpointFigures.rows` when the
 * endpoint certainly passes every hard check; NaN when it may not (an open circuit, a missing
 * capability, an unknown price, long-context prices, the cost cap…), and the caller must run
 * `checkEndpoint`. The cost is computed as `estimateEndpointCost` computes it, to the bit.
 */
export function screenEndpointFigures(rows: Float64Array, row: number, screen: FigureScreen, openCircuits: Uint8Array | undefined): number {
  const at = row * FIGURE_COLUMNS;
  const flags = figure(rows, at + FIGURE_FLAGS);
  if ((flags & screen.requiredFlags) !== screen.requiredFlags || (flags & FLAG_OVERRIDES) !== 0) {
    return Number.NaN;
  }
  if (openCircuits !== undefined && openCircuits[figure(rows, at + FIGURE_POSITION)] === 1) {
    return Number.NaN;
  }
  if (screen.needed > figure(rows, at + FIGURE_CONTEXT) || screen.requestedMaxOutput > figure(rows, at + FIGURE_MAX_OUTPUT)) {
    return Number.NaN;
  }
  const parameters = figure(rows, at + FIGURE_PARAMETERS);
  for (const mask of screen.parameterMasks) {
    if ((parameters & mask) === 0) {
      return Number.NaN;
    }
  }
  // NaN prices (unknown) make the cost NaN, which the caller reads as "check it in full".
  const cost =
    screen.promptTokens * figure(rows, at + FIGURE_INPUT_PRICE) +
    screen.outputTokens * figure(rows, at + FIGURE_OUTPUT_PRICE) +
    screen.images * figure(rows, at + FIGURE_IMAGE_PRICE) +
    figure(rows, at + FIGURE_REQUEST_PRICE);
  if (screen.costCapUsd !== undefined && exceeds(cost, screen.costCapUsd)) {
    return Number.NaN;
  }
  return cost;
}

function figure(rows: Float64Array, at: number): number {
  return rows[at] ?? Number.NaN;
}
