import type { EndpointPricing } from './catalog-model';
import type { OpenRouterPricing } from './openrouter-catalog-api';

/**
 * OpenRouter's per-token price strings in the catalog's names. OpenRouter already publishes USD
 * per token as decimal strings, so the values are kept verbatim (the sanity check runs later).
 * A `"0"` for cache, reasoning, image or request means "not priced apart" rather than "free":
 * storing it would price those tokens at nothing, so it is left out and the base price applies.
 * Time-window overrides (`utc_start`/`utc_end`) are not modelled and are skipped.
 * @see https://openrouter.ai/docs/client-sdks/typescript/models/pricing
 */
export function convertOpenRouterPricing(pricing: OpenRouterPricing): EndpointPricing {
  const result: EndpointPricing = { input: pricing.prompt, output: pricing.completion };
  const extras = {
    cacheRead: pricing.input_cache_read,
    cacheWrite: pricing.input_cache_write,
    reasoning: pricing.internal_reasoning,
    image: pricing.image,
    request: pricing.request,
  };
  for (const [key, value] of Object.entries(extras)) {
    if (typeof value === 'string' && Number(value) !== 0) {
      result[key as keyof typeof extras] = value;
    }
  }
  const overrides = (pricing.overrides ?? []).flatMap((override) => {
    if (!override.min_prompt_tokens || override.utc_start || override.utc_end) {
      return [];
    }
    const converted: NonNullable<EndpointPricing['overrides']>[number] = { minPromptTokens: override.min_prompt_tokens };
    if (override.prompt) converted.input = override.prompt;
    if (override.completion) converted.output = override.completion;
    if (override.input_cache_read) converted.cacheRead = override.input_cache_read;
    if (override.input_cache_write) converted.cacheWrite = override.input_cache_write;
    return [converted];
  });
  if (overrides.length > 0) {
    result.overrides = overrides.sort((a, b) => a.minPromptTokens - b.minPromptTokens);
  }
  return result;
}
