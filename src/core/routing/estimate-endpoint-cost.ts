import type { IndexedEndpoint } from './index-catalog';

/** Token prices in effect for a prompt of a given size, after long-context overrides. */
export interface EffectivePrices {
  input: number | undefined;
  output: number | undefined;
}

/** The token prices that apply to a prompt of `promptTokens`: the override with the largest threshold it reaches, else the base prices. */
export function effectivePrices(endpoint: IndexedEndpoint, promptTokens: number): EffectivePrices {
  for (const override of endpoint.overrides) {
    if (promptTokens >= override.minPromptTokens) {
      return override;
    }
  }
  return { input: endpoint.inputPrice, output: endpoint.outputPrice };
}

/**
 * Estimated USD cost of one request on one endpoint: prompt tokens at the input price, the
 * expected output at the output price, plus per-image and per-request fees. Cache discounts are
 * ignored (a cache hit only lowers the real bill). Undefined when a token price is unknown: an
 * unknown price is never treated as free.
 */
export function estimateEndpointCost(
  endpoint: IndexedEndpoint,
  promptTokens: number,
  outputTokens: number,
  images: number,
): number | undefined {
  // Inline rather than through effectivePrices: this runs for every endpoint of a catalog-wide route.
  let input = endpoint.inputPrice;
  let output = endpoint.outputPrice;
  for (const override of endpoint.overrides) {
    if (promptTokens >= override.minPromptTokens) {
      input = override.input;
      output = override.output;
      break;
    }
  }
  if (input === undefined || output === undefined) {
    return undefined;
  }
  return promptTokens * input + outputTokens * output + images * endpoint.imagePrice + endpoint.requestPrice;
}
