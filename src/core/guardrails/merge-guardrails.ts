import { usdToNanos } from '../ledger/convert-usd-units';
import { periodKey } from './compute-period-window';
import type { BudgetPeriod, Guardrail, NearLimitAction } from './guardrail-schema';
import { intersectModelGlobs } from './match-model-glob';

/** Which layer a guardrail comes from. */
export type GuardrailScope = 'global' | 'workspace' | 'app';

/** One configured guardrail and where it applies. */
export interface GuardrailLayer {
  scope: GuardrailScope;
  /** The spend bucket it limits: from `buildScopeKeys`. */
  scopeKey: string;
  /** Where the user changes it, quoted in messages: `Settings › Perpetuo › Guardrails`, `.perpetuo/policy.json (guardrails.workspace)`. */
  origin: string;
  guardrail: Guardrail;
}

/** Who a request is made for: the spend buckets it counts toward. */
export interface RequestIdentity {
  /** A stable id of the workspace (its folder URI hashed by the caller); absent for an empty window. */
  workspaceId?: string;
  /** The local-endpoint app (token name) that sent the request. */
  appName?: string;
}

/** A budget ready to enforce: one scope's limit over one period, in nanodollars. */
export interface ScopedBudget {
  /** `<scopeKey>|<period>`: at most one budget per scope and period survives the merge. */
  id: string;
  scope: GuardrailScope;
  scopeKey: string;
  origin: string;
  amountNanos: number;
  period: BudgetPeriod;
  warnAtPercent: number;
  nearLimit: NearLimitAction;
}

/**
 * The guardrail that applies to one request, every layer folded in. Budgets are not merged into
 * one number: each scope's budget limits that scope's own spend (the global budget counts every
 * request, a workspace budget only that workspace's), so a request must fit all of them. Every
 * other control takes the strictest value.
 */
export interface EffectiveGuardrail {
  /** Spend buckets this request is charged to. */
  scopeKeys: string[];
  budgets: ScopedBudget[];
  /** A model must match one of these globs; undefined = no allowlist. Empty = nothing is allowed. */
  allowModels?: string[];
  denyModels?: string[];
  /** Undefined = any provider; empty = no provider is allowed by every layer. */
  allowProviders?: string[];
  requireZdr: boolean;
  maxCostPerRequestUsd?: number;
  allowUnpriced: boolean;
}

const DEFAULT_WARN_AT_PERCENT = 80;
const NEAR_LIMIT_SEVERITY: Record<NearLimitAction, number> = { warn: 0, 'downgrade-cheaper': 1, 'downgrade-free': 2 };

/** The spend buckets of a request: always `global`, plus its workspace and app when it has them. */
export function buildScopeKeys(identity: RequestIdentity): string[] {
  const keys = ['global'];
  if (identity.workspaceId !== undefined) {
    keys.push(`workspace:${identity.workspaceId}`);
  }
  if (identity.appName !== undefined) {
    keys.push(`app:${identity.appName}`);
  }
  return keys;
}

/**
 * Folds guardrail layers into the one that applies: smallest cap, intersection of allowlists,
 * union of denylists, ZDR if any layer requires it, unpriced models only if some layer allows them
 * and none forbids them. Empty lists count as unset, because that is what an empty list in the
 * Settings UI means.
 */
export function mergeGuardrails(layers: readonly GuardrailLayer[], identity: RequestIdentity): EffectiveGuardrail {
  const budgets = new Map<string, ScopedBudget>();
  let allowModels: string[] | undefined;
  let allowProviders: string[] | undefined;
  const denyModels = new Set<string>();
  let requireZdr = false;
  let maxCostPerRequestUsd: number | undefined;
  let unpricedAllowed = false;
  let unpricedForbidden = false;

  for (const layer of layers) {
    const { guardrail } = layer;
    for (const config of [...(guardrail.budget ? [guardrail.budget] : []), ...(guardrail.budgets ?? [])]) {
      const candidate: ScopedBudget = {
        id: `${layer.scopeKey}|${periodKey(config.period)}`,
        scope: layer.scope,
        scopeKey: layer.scopeKey,
        origin: layer.origin,
        amountNanos: usdToNanos(config.amountUsd),
        period: config.period,
        warnAtPercent: config.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT,
        nearLimit: config.nearLimit ?? 'warn',
      };
      const existing = budgets.get(candidate.id);
      budgets.set(candidate.id, existing === undefined ? candidate : strictestBudget(existing, candidate));
    }
    if (guardrail.allowModels !== undefined && guardrail.allowModels.length > 0) {
      allowModels = allowModels === undefined ? [...guardrail.allowModels] : intersectModelGlobs(allowModels, guardrail.allowModels);
    }
    if (guardrail.allowProviders !== undefined && guardrail.allowProviders.length > 0) {
      const next = guardrail.allowProviders.map((provider) => provider.toLowerCase());
      allowProviders = allowProviders === undefined ? next : allowProviders.filter((provider) => next.includes(provider));
    }
    for (const glob of guardrail.denyModels ?? []) {
      denyModels.add(glob);
    }
    requireZdr ||= guardrail.requireZdr === true;
    if (guardrail.maxCostPerRequestUsd !== undefined) {
      maxCostPerRequestUsd = Math.min(maxCostPerRequestUsd ?? Infinity, guardrail.maxCostPerRequestUsd);
    }
    unpricedAllowed ||= guardrail.allowUnpriced === true;
    unpricedForbidden ||= guardrail.allowUnpriced === false;
  }

  const effective: EffectiveGuardrail = {
    scopeKeys: buildScopeKeys(identity),
    budgets: [...budgets.values()],
    requireZdr,
    allowUnpriced: unpricedAllowed && !unpricedForbidden,
  };
  if (allowModels !== undefined) {
    effective.allowModels = allowModels;
  }
  if (denyModels.size > 0) {
    effective.denyModels = [...denyModels];
  }
  if (allowProviders !== undefined) {
    effective.allowProviders = allowProviders;
  }
  if (maxCostPerRequestUsd !== undefined) {
    effective.maxCostPerRequestUsd = maxCostPerRequestUsd;
  }
  return effective;
}

function strictestBudget(a: ScopedBudget, b: ScopedBudget): ScopedBudget {
  const smaller = b.amountNanos < a.amountNanos ? b : a;
  return {
    ...smaller,
    warnAtPercent: Math.min(a.warnAtPercent, b.warnAtPercent),
    nearLimit: NEAR_LIMIT_SEVERITY[b.nearLimit] > NEAR_LIMIT_SEVERITY[a.nearLimit] ? b.nearLimit : a.nearLimit,
  };
}
