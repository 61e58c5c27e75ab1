import type { EndpointPricing } from './catalog-model';
import type { CatalogWarning } from './catalog-warning';
import { convertPerTokenToPerMillion } from './convert-per-million-to-per-token';

/**
 * Highest believable price per token: $10,000 per million. The dearest real models cost a few
 * hundred dollars per million output tokens, so anything above this is a per-million (or
 * per-thousand) figure stored as per-token, the 100×–1,000,000× unit mix-up seen in Bifrost
 * #5243 and #3559. Such a price is dropped to "unknown" (never to free) with a warning.
 */
export const MAX_PRICE_PER_TOKEN = 0.01;

/** Highest believable price per image, per request or per web search, in USD. */
export const MAX_PRICE_PER_UNIT = 1;

const PER_TOKEN_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'reasoning'] as const;
const PER_UNIT_FIELDS = ['image', 'request', 'webSearch'] as const;
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

export interface PricingContext {
  source: string;
  modelId: string;
  provider: string;
}

/**
 * Checks every price of an endpoint for shape and magnitude. A bad price becomes `undefined`
 * (unknown), which the router and the budget guard treat as "cannot price", never as `"0"`.
 */
export function sanitizeEndpointPricing(
  pricing: EndpointPricing,
  context: PricingContext,
): { pricing: EndpointPricing; warnings: CatalogWarning[] } {
  const warnings: CatalogWarning[] = [];
  const check = (value: string | undefined, field: string, max: number, unit: string): string | undefined => {
    if (value === undefined) {
      return undefined;
    }
    const problem = describePriceProblem(value, max, unit);
    if (problem === undefined) {
      return value;
    }
    warnings.push({ ...context, field: `pricing.${field}`, message: `${problem}; the price is treated as unknown.` });
    return undefined;
  };

  const clean: EndpointPricing = {
    input: check(pricing.input, 'input', MAX_PRICE_PER_TOKEN, 'token'),
    output: check(pricing.output, 'output', MAX_PRICE_PER_TOKEN, 'token'),
  };
  for (const field of PER_TOKEN_FIELDS.slice(2)) {
    const value = check(pricing[field], field, MAX_PRICE_PER_TOKEN, 'token');
    if (value !== undefined) {
      clean[field] = value;
    }
  }
  for (const field of PER_UNIT_FIELDS) {
    const value = check(pricing[field], field, MAX_PRICE_PER_UNIT, field);
    if (value !== undefined) {
      clean[field] = value;
    }
  }
  if (pricing.overrides) {
    const overrides = pricing.overrides.map((override, index) => {
      const kept: NonNullable<EndpointPricing['overrides']>[number] = { minPromptTokens: override.minPromptTokens };
      for (const field of ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
        const value = check(override[field], `overrides[${index}].${field}`, MAX_PRICE_PER_TOKEN, 'token');
        if (value !== undefined) {
          kept[field] = value;
        }
      }
      return kept;
    });
    clean.overrides = overrides;
  }
  return { pricing: clean, warnings };
}

function describePriceProblem(value: string, max: number, unit: string): string | undefined {
  if (!PLAIN_DECIMAL.test(value)) {
    // OpenRouter publishes "-1" for routers whose price depends on the model they pick.
    return `"${value}" is not a non-negative decimal price`;
  }
  if (Number(value) > max) {
    const perMillion = unit === 'token' ? ` ($${convertPerTokenToPerMillion(value)} per million tokens)` : '';
    return `$${value} per ${unit}${perMillion} is above the sanity limit of $${max} per ${unit}, so it is most likely a per-million or per-thousand price given as per-${unit}`;
  }
  return undefined;
}
