import { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';

/** How the router orders the candidates that can serve a request. */
export const ROUTING_STRATEGIES = ['cheapest', 'fastest', 'reliable', 'balanced', 'quality', 'priority'] as const;

/**
 * - `cheapest`: lowest estimated cost of this very request.
 * - `fastest`: lowest estimated completion time (time to first token + output at the measured throughput).
 * - `reliable`: lowest error rate (our live metrics, else the catalog's published uptime).
 * - `balanced`: a weighted score of quality, cost, speed and reliability (weights in `score-endpoint.ts`).
 * - `quality`: strongest model tier first, then the cheapest.
 * - `priority`: the user's own order (`RoutingPolicy.priority`).
 */
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/**
 * The user's routing rules, built by the guardrails from settings. Every glob matches
 * case-insensitively against a model id (`anthropic/claude-sonnet-4.5`) and against an
 * endpoint (`provider/upstreamId`, e.g. `openrouter/anthropic/claude-sonnet-4.5`); `*` matches
 * any run of characters, `/` included, and `?` one character.
 */
export interface RoutingPolicy {
  /** Used when a route (`perpetuo/default`) rather than a strategy or a model is requested, and to order one model's endpoints. */
  strategy: RoutingStrategy;
  /** The user's order for the `priority` strategy: globs on models or endpoints, or bare provider ids. */
  priority?: string[];
  /** When set, only models or endpoints matching one of these globs are used. */
  allowModels?: string[];
  /** Models or endpoints matching one of these globs are never used; deny wins over allow. */
  denyModels?: string[];
  /** When set, only these provider ids are used (a ceiling over a request's `provider.only`). */
  allowProviders?: string[];
  /** Only zero-data-retention endpoints. A request's `provider.zdr` can turn this on, never off. */
  requireZdr?: boolean;
  /** Hard cap: an endpoint whose estimated cost for the request exceeds this is rejected. */
  maxCostPerRequestUsd?: number;
  /** Admit endpoints whose price is unknown (default false: rejected with reason `price-unknown`). */
  allowUnpriced?: boolean;
  /** The auto router's candidate models (globs); default: every model in the catalog. */
  autoCandidates?: string[];
  /** At most this many fallbacks after the first target (default: all for named models, 4 for routes). */
  maxFallbacks?: number;
}

const globList = z.array(z.string().min(1)).optional();

/** Schema of {@link RoutingPolicy}, for policies read from settings or files. */
export const routingPolicySchema: z.ZodType<RoutingPolicy> = z.strictObject({
  strategy: z.enum(ROUTING_STRATEGIES),
  priority: globList,
  allowModels: globList,
  denyModels: globList,
  allowProviders: globList,
  requireZdr: z.boolean().optional(),
  maxCostPerRequestUsd: z.number().nonnegative().optional(),
  allowUnpriced: z.boolean().optional(),
  autoCandidates: globList,
  maxFallbacks: z.number().int().min(0).max(50).optional(),
});

/** Validates a routing policy; a bad one is a `config` error naming the field. */
export function parseRoutingPolicy(input: unknown): RoutingPolicy {
  const result = routingPolicySchema.safeParse(input);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'policy';
  throw new PerpetuoError({
    kind: 'config',
    message: `Invalid routing policy: ${field}: ${issue?.message ?? 'invalid'}. Check perpetuo.routing.* in your settings.`,
  });
}
