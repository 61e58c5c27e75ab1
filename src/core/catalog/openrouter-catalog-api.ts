import { z } from 'zod';

/**
 * Wire shapes of OpenRouter's public catalog endpoints. Loose and null-tolerant: OpenRouter adds
 * fields often and sends `null` for unknown values (stats are null without an API key).
 * @see https://openrouter.ai/docs/models
 * @see https://openrouter.ai/docs/api/api-reference/endpoints/list-endpoints-zdr
 */
const nullableString = z.string().nullish();
const nullableNumber = z.number().nullish();

export const openRouterPricingSchema = z.looseObject({
  prompt: z.string(),
  completion: z.string(),
  request: nullableString,
  image: nullableString,
  internal_reasoning: nullableString,
  input_cache_read: nullableString,
  input_cache_write: nullableString,
  /** Conditional prices: long-context (`min_prompt_tokens`) or time-window (`utc_start`/`utc_end`). */
  overrides: z
    .array(
      z.looseObject({
        min_prompt_tokens: nullableNumber,
        utc_start: nullableString,
        utc_end: nullableString,
        prompt: nullableString,
        completion: nullableString,
        input_cache_read: nullableString,
        input_cache_write: nullableString,
      }),
    )
    .nullish(),
});

export type OpenRouterPricing = z.infer<typeof openRouterPricingSchema>;

const architectureSchema = z.looseObject({
  input_modalities: z.array(z.string()).nullish(),
  output_modalities: z.array(z.string()).nullish(),
});

export const openRouterModelSchema = z.looseObject({
  id: z.string().min(1),
  canonical_slug: nullableString,
  name: z.string(),
  created: nullableNumber,
  context_length: nullableNumber,
  architecture: architectureSchema.nullish(),
  pricing: openRouterPricingSchema,
  top_provider: z.looseObject({ context_length: nullableNumber, max_completion_tokens: nullableNumber }).nullish(),
  supported_parameters: z.array(z.string()).nullish(),
});

export type OpenRouterModel = z.infer<typeof openRouterModelSchema>;

export const openRouterModelsResponseSchema = z.looseObject({ data: z.array(z.unknown()) });

const percentiles = z.looseObject({ p50: nullableNumber }).nullish();

export const openRouterEndpointSchema = z.looseObject({
  name: z.string().nullish(),
  model_id: nullableString,
  provider_name: z.string(),
  /** The routing slug (`google-vertex/us-east5`) that goes in `provider.order`. */
  tag: nullableString,
  context_length: nullableNumber,
  max_completion_tokens: nullableNumber,
  pricing: openRouterPricingSchema,
  quantization: nullableString,
  supported_parameters: z.array(z.string()).nullish(),
  uptime_last_30m: nullableNumber,
  latency_last_30m: percentiles,
  throughput_last_30m: percentiles,
});

export type OpenRouterEndpoint = z.infer<typeof openRouterEndpointSchema>;

export const openRouterEndpointsResponseSchema = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    architecture: architectureSchema.nullish(),
    endpoints: z.array(z.unknown()),
  }),
});

export const openRouterZdrResponseSchema = z.looseObject({ data: z.array(z.unknown()) });
