import { formatUsd } from '../ledger/convert-usd-units';
import { describePeriod } from './compute-period-window';
import type { NearLimitAction } from './guardrail-schema';
import type { GuardrailRoutingFields } from './map-guardrail-to-routing-policy';
import type { ScopedBudget } from './merge-guardrails';
import type { BudgetStatus } from './open-budget-store';

/** A budget past its warning threshold. */
export interface NearLimitWarning {
  budget: ScopedBudget;
  /** Spent plus in flight, as a percentage of the budget (may exceed 100). */
  percentUsed: number;
  message: string;
}

/** The routing policy to use now, and why it changed. */
export interface NearLimitPlan<P> {
  policy: P;
  /** The most severe action of the budgets past their threshold; `none` if none is. */
  action: NearLimitAction | 'none';
  warnings: NearLimitWarning[];
}

const SEVERITY: Record<NearLimitAction, number> = { warn: 0, 'downgrade-cheaper': 1, 'downgrade-free': 2 };
const FREE_MODELS = ['*:free'];

/**
 * What to do as budgets near their limit, as policy adjustments the caller applies before
 * planning the route: `downgrade-cheaper` switches the strategy to `cheapest`; `downgrade-free`
 * restricts the allowlist to `:free` variants (of the models already allowed, if any).
 * Blocking at 100 % is not decided here but by the reservation itself, which also lets free
 * requests through an exhausted budget because they reserve nothing.
 */
export function planNearLimitAdjustments<P extends GuardrailRoutingFields>(statuses: readonly BudgetStatus[], policy: P): NearLimitPlan<P> {
  const warnings: NearLimitWarning[] = [];
  let action: NearLimitAction | 'none' = 'none';
  for (const status of statuses) {
    const { budget } = status;
    const used = status.spentNanos + status.reservedNanos;
    const percentUsed = budget.amountNanos === 0 ? 100 : (used / budget.amountNanos) * 100;
    if (percentUsed < budget.warnAtPercent) {
      continue;
    }
    if (action === 'none' || SEVERITY[budget.nearLimit] > SEVERITY[action]) {
      action = budget.nearLimit;
    }
    const then =
      budget.nearLimit === 'downgrade-free'
        ? 'Only :free models are used until it resets.'
        : budget.nearLimit === 'downgrade-cheaper'
          ? 'Requests are routed to the cheapest model until it resets.'
          : 'Paid requests are refused once it is used up.';
    warnings.push({
      budget,
      percentUsed,
      message: `${describePeriod(budget.period)} budget at ${Math.floor(percentUsed)} %: ${formatUsd(used)} of ${formatUsd(budget.amountNanos)} (${budget.origin}). ${then}`,
    });
  }
  const adjusted: P = { ...policy };
  if (action === 'downgrade-cheaper') {
    adjusted.strategy = 'cheapest';
  } else if (action === 'downgrade-free') {
    // The free variants of what is allowed: `openai/*` becomes `openai/*:free`, which is exactly
    // the intersection with `*:free`; a literal id becomes its own free variant.
    adjusted.allowModels =
      policy.allowModels === undefined || policy.allowModels.length === 0
        ? [...FREE_MODELS]
        : [...new Set(policy.allowModels.map((glob) => (/:free$/i.test(glob) ? glob : `${glob}:free`)))];
  }
  return { policy: adjusted, action, warnings };
}
