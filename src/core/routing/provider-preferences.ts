import { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import { findCloseMatches } from './find-close-matches';

/** A soft performance threshold: a bare number applies to p50, or name the percentiles. */
export type PercentileThreshold = number | { p50?: number; p75?: number; p90?: number; p99?: number };

/** What `provider.sort` orders endpoints by. */
export type ProviderSortBy = 'price' | 'throughput' | 'latency';

/**
 * OpenRouter's `provider` object, with OpenRouter's semantics, soft and hard alike.
 * @see https://openrouter.ai/docs/features/provider-routing
 */
export interface ProviderPreferences {
  /** Provider slugs tried first, in this order. A base slug (`google-vertex`) also matches `google-vertex/us-east5`. */
  order?: string[];
  /** Default true. False: only the `order` providers (or, without `order`, only the top endpoint) of each model. */
  allow_fallbacks?: boolean;
  /** True: only endpoints that support every parameter of the request. False (default): `tools` and `response_format` are a soft preference among one model's endpoints. */
  require_parameters?: boolean;
  /** `deny`: only endpoints known neither to retain nor to train on prompts. */
  data_collection?: 'allow' | 'deny';
  /** True: only zero-data-retention endpoints. ORed with the policy's `requireZdr`: it can turn ZDR on, never off. */
  zdr?: boolean;
  /** Allow-list of provider slugs; the policy's `allowProviders` is a ceiling over it. */
  only?: string[];
  /** Deny-list of provider slugs. */
  ignore?: string[];
  /** Allowed quantizations (`int4`, `fp8`, `bf16`, … `unknown` for endpoints that publish none). */
  quantizations?: string[];
  /** Order by price, throughput or latency; `partition: 'model'` (default) keeps the models of `models[]` in their order, `'none'` sorts across all of them. */
  sort?: ProviderSortBy | { by: ProviderSortBy; partition?: 'model' | 'none' };
  /** Soft: endpoints below this output speed (tokens/s) move to the end of the list; never excluded. */
  preferred_min_throughput?: PercentileThreshold;
  /** Soft: endpoints above this time to first token (seconds) move to the end of the list; never excluded. */
  preferred_max_latency?: PercentileThreshold;
  /** Hard: `prompt`/`completion` in USD per million tokens, `request` per request, `image` per image. */
  max_price?: { prompt?: number; completion?: number; request?: number; image?: number };
}

export const QUANTIZATIONS = ['int4', 'int8', 'fp4', 'mxfp4', 'nvfp4', 'fp6', 'fp8', 'mxfp8', 'fp16', 'bf16', 'fp32', 'unknown'] as const;

const sortBy = z.enum(['price', 'throughput', 'latency']);
const threshold = z.union([
  z.number().nonnegative(),
  z.strictObject({
    p50: z.number().nonnegative().optional(),
    p75: z.number().nonnegative().optional(),
    p90: z.number().nonnegative().optional(),
    p99: z.number().nonnegative().optional(),
  }),
]);
const slugs = z.array(z.string().min(1)).optional();

/** Schema of {@link ProviderPreferences}; strict, so a misspelt field is reported rather than ignored. */
export const providerPreferencesSchema: z.ZodType<ProviderPreferences> = z.strictObject({
  order: slugs,
  allow_fallbacks: z.boolean().optional(),
  require_parameters: z.boolean().optional(),
  data_collection: z.enum(['allow', 'deny']).optional(),
  zdr: z.boolean().optional(),
  only: slugs,
  ignore: slugs,
  quantizations: z.array(z.enum(QUANTIZATIONS)).optional(),
  sort: z.union([sortBy, z.strictObject({ by: sortBy, partition: z.enum(['model', 'none']).optional() })]).optional(),
  preferred_min_throughput: threshold.optional(),
  preferred_max_latency: threshold.optional(),
  max_price: z
    .strictObject({
      prompt: z.number().nonnegative().optional(),
      completion: z.number().nonnegative().optional(),
      request: z.number().nonnegative().optional(),
      image: z.number().nonnegative().optional(),
    })
    .optional(),
});

const FIELDS = [
  'order',
  'allow_fallbacks',
  'require_parameters',
  'data_collection',
  'zdr',
  'only',
  'ignore',
  'quantizations',
  'sort',
  'preferred_min_throughput',
  'preferred_max_latency',
  'max_price',
];

/** Validates a request's `provider` object; a bad one is an `invalid-request` error naming the field and close matches. */
export function parseProviderPreferences(input: unknown): ProviderPreferences {
  const result = providerPreferencesSchema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys' && issue.path.length === 0) {
    const key = issue.keys[0] ?? '';
    const close = findCloseMatches(key, FIELDS);
    throw new PerpetuoError({
      kind: 'invalid-request',
      message: `Unknown field provider.${key}${close.length > 0 ? ` (did you mean ${close.map((name) => `provider.${name}`).join(', ')}?)` : ''}. Supported: ${FIELDS.join(', ')}.`,
    });
  }
  const field = issue ? ['provider', ...issue.path].join('.') : 'provider';
  throw new PerpetuoError({ kind: 'invalid-request', message: `Invalid ${field}: ${issue?.message ?? 'invalid value'}.` });
}
