import type { EffectiveGuardrail } from './merge-guardrails';
import { intersectModelGlobs } from './match-model-glob';

/**
 * The guardrail fields of the router's `RoutingPolicy` (src/core/routing/routing-policy.ts), by
 * the same names. Declared here structurally so that guardrails do not depend on the router: any
 * `RoutingPolicy` is assignable to it, and the planner applies these filters so that every
 * rejection shows up in the decision record.
 */
export interface GuardrailRoutingFields {
  strategy?: string;
  allowModels?: string[];
  denyModels?: string[];
  allowProviders?: string[];
  requireZdr?: boolean;
  maxCostPerRequestUsd?: number;
  allowUnpriced?: boolean;
}

/**
 * Overlays a guardrail on a routing policy the user or caller chose. The result is never looser
 * than either: allowlists are intersected, denylists joined, the smaller cap kept, ZDR ORed
 * (as OpenRouter ORs its account and request `zdr` flags), unpriced models allowed only if both
 * allow them.
 */
export function mapGuardrailToRoutingPolicy<P extends GuardrailRoutingFields>(guardrail: EffectiveGuardrail, policy: P): P {
  // Object.assign rather than `{ ...policy }`: V8 gives an object spread a map outside the
  // transition tree, so each property added below made a new hidden class per request, and every
  // read of the policy downstream (the planner reads it per request) missed its inline cache.
  const out: P = Object.assign({}, policy);
  if (guardrail.allowModels !== undefined) {
    out.allowModels = policy.allowModels === undefined || policy.allowModels.length === 0 ? [...guardrail.allowModels] : intersectModelGlobs(policy.allowModels, guardrail.allowModels);
  }
  if (guardrail.denyModels !== undefined) {
    out.denyModels = [...new Set([...(policy.denyModels ?? []), ...guardrail.denyModels])];
  }
  if (guardrail.allowProviders !== undefined) {
    const own = policy.allowProviders?.map((provider) => provider.toLowerCase());
    out.allowProviders = own === undefined || own.length === 0 ? [...guardrail.allowProviders] : own.filter((provider) => guardrail.allowProviders?.includes(provider));
  }
  if (guardrail.requireZdr || policy.requireZdr === true) {
    out.requireZdr = true;
  }
  if (guardrail.maxCostPerRequestUsd !== undefined) {
    out.maxCostPerRequestUsd = Math.min(policy.maxCostPerRequestUsd ?? Infinity, guardrail.maxCostPerRequestUsd);
  }
  out.allowUnpriced = guardrail.allowUnpriced && policy.allowUnpriced !== false;
  return out;
}
