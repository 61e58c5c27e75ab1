import { z } from 'zod';
import { ROUTING_STRATEGIES } from './routing-policy';

/** Why a candidate endpoint was not used. Each code maps to one check in `check-endpoint.ts`. */
export const REJECT_REASONS = [
  'no-key', // no API key for the provider
  'provider-not-allowed', // outside the policy's allowProviders
  'not-in-only', // outside provider.only
  'provider-ignored', // in provider.ignore
  'fallbacks-disabled', // provider.allow_fallbacks=false and not the primary / an `order` provider
  'circuit-open', // the endpoint's circuit breaker is open
  'model-denied', // matches the policy's denyModels
  'model-not-allowed', // outside the policy's allowModels
  'service-tier', // a flex / priority / free tier endpoint the request's variant does not admit
  'not-free', // `:free` asked and the endpoint is paid
  'zdr-required', // ZDR required and the endpoint is not known to be ZDR
  'data-collection', // provider.data_collection=deny and the endpoint retains / trains (or its policy is unknown)
  'quantization', // outside provider.quantizations
  'modality', // the request has image / audio / video / file parts the endpoint does not accept
  'attachment-limit', // an attachment breaks the provider's published limits (size, type, count, pages)
  'output-modality', // the request asks for output (an image) the endpoint does not produce, or the endpoint produces no text for a text request
  'context-length', // estimated prompt + output exceed the context window
  'max-output', // requested max output exceeds the endpoint's limit
  'missing-parameter', // a request parameter the endpoint does not support (tools, response_format, …)
  'price-unknown', // the endpoint publishes no price and unpriced endpoints are not allowed
  'max-price', // above provider.max_price
  'cost-cap', // estimated cost above the policy's maxCostPerRequestUsd
] as const;

/** A typed reason code; see {@link REJECT_REASONS}. */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One endpoint the plan would try, in order. */
export interface RouteTarget {
  /** `author/model`. */
  modelId: string;
  /** Provider id of the endpoint. */
  provider: string;
  /** The id the provider's API expects. */
  upstreamModelId: string;
  /** Estimated cost of this request on this endpoint in USD; null when the endpoint is unpriced (and the policy allows that). */
  estimatedCostUsd: number | null;
  /** The endpoint's context window, so the executor can move on to a larger one after a context-length error. */
  contextLength: number | null;
  /** Why it ranks here, in a phrase: "cheapest: est. $0.0031", "provider.order #1", … */
  why: string;
}

/** A candidate that was excluded, and why. */
export interface RejectedCandidate {
  /** `author/model`, or `*` when a provider-wide reason excluded every model of a catalog-wide route at once. */
  modelId: string;
  provider: string;
  reason: RejectReason;
  /** The values behind the reason: "needs 140,000 tokens, window is 128,000". */
  detail: string;
}

/** The numbers the plan was computed from. */
export interface RouteEstimates {
  /** From `estimateRequestTokens`. */
  promptTokens: number;
  /** The output the cost estimates assume. */
  outputTokens: number;
  /** `request`: the request's maxOutputTokens; `default`: the router's expectation for requests that set none. */
  outputTokensBasis: 'request' | 'default';
}

/** The auto router's reading of the prompt. */
export interface PromptAnalysis {
  taskType: TaskType;
  complexity: 'low' | 'medium' | 'high';
  promptTokens: number;
  attachments: { images: number; audio: number; video: number; files: number };
  /** The heuristics that fired, for the decision log ("code fence", "stack trace", …). */
  signals: string[];
  /** The strongest tier (1 best) the task is judged to need. */
  desiredTier: 1 | 2 | 3 | 4;
}

export const TASK_TYPES = [
  'code',
  'reasoning',
  'math',
  'analysis',
  'creative',
  'summarization',
  'translation',
  'extraction',
  'chat',
] as const;

/** What the auto router thinks the prompt asks for. */
export type TaskType = (typeof TASK_TYPES)[number];

/**
 * The routing decision: what was asked, every target in order, every rejected candidate with its
 * reason, and the one line a user reads. It is plain data (JSON round-trips it unchanged) and it
 * is the decision log's record of the request.
 */
export interface RoutePlan {
  /** The model string exactly as requested. */
  requested: string;
  /** `model`: a named model (and its models[] fallbacks); `route`: a strategy over many models; `auto`: the auto router. */
  kind: 'model' | 'route' | 'auto';
  /** The strategy that ordered the targets. */
  strategy: (typeof ROUTING_STRATEGIES)[number] | 'auto';
  /** provider.sort or a variant's sort when one overrode the strategy. */
  sortBy: 'price' | 'throughput' | 'latency' | null;
  /** The variant of the requested model (`free`, `floor`, `nitro`, `thinking`), if any. */
  variant: string | null;
  targets: RouteTarget[];
  rejected: RejectedCandidate[];
  /** One line for the user. */
  explanation: string;
  estimates: RouteEstimates;
  /** provider.allow_fallbacks. */
  allowFallbacks: boolean;
  /** The cap on fallbacks the executor honours (null: every target). */
  maxFallbacks: number | null;
  /** Eligible endpoints before the target list was cut to maxFallbacks + 1. */
  eligibleCount: number;
  /** Models considered, and those left out before any check by the policy's globs (catalog-wide routes only). */
  scope: { models: number; outOfScope: number; note: string | null };
  /** The auto router's analysis, for `perpetuo/auto`. */
  analysis: PromptAnalysis | null;
}

const routeTargetSchema = z.strictObject({
  modelId: z.string(),
  provider: z.string(),
  upstreamModelId: z.string(),
  estimatedCostUsd: z.number().nullable(),
  contextLength: z.number().nullable(),
  why: z.string(),
});

const rejectedSchema = z.strictObject({
  modelId: z.string(),
  provider: z.string(),
  reason: z.enum(REJECT_REASONS),
  detail: z.string(),
});

const tier = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** Schema of {@link RoutePlan}, for reading decision logs back. */
export const routePlanSchema: z.ZodType<RoutePlan> = z.strictObject({
  requested: z.string(),
  kind: z.enum(['model', 'route', 'auto']),
  strategy: z.enum([...ROUTING_STRATEGIES, 'auto']),
  sortBy: z.enum(['price', 'throughput', 'latency']).nullable(),
  variant: z.string().nullable(),
  targets: z.array(routeTargetSchema),
  rejected: z.array(rejectedSchema),
  explanation: z.string(),
  estimates: z.strictObject({
    promptTokens: z.number(),
    outputTokens: z.number(),
    outputTokensBasis: z.enum(['request', 'default']),
  }),
  allowFallbacks: z.boolean(),
  maxFallbacks: z.number().nullable(),
  eligibleCount: z.number(),
  scope: z.strictObject({ models: z.number(), outOfScope: z.number(), note: z.string().nullable() }),
  analysis: z
    .strictObject({
      taskType: z.enum(TASK_TYPES),
      complexity: z.enum(['low', 'medium', 'high']),
      promptTokens: z.number(),
      attachments: z.strictObject({ images: z.number(), audio: z.number(), video: z.number(), files: z.number() }),
      signals: z.array(z.string()),
      desiredTier: tier,
    })
    .nullable(),
});
