import { PerpetuoError } from '../errors';
import { formatUsd } from '../ledger/convert-usd-units';
import { describePeriod } from './compute-period-window';
import type { BudgetStatus } from './open-budget-store';

const SCOPE_LABEL = { global: 'all requests', workspace: 'this workspace', app: 'this app' } as const;

/**
 * The 'budget' error of a refused reservation: which budget, how much is spent and in flight, what
 * this request could cost, where to raise it and when it frees up.
 * e.g. "Daily budget used: $5.00 of $5.00 (all requests). Raise it in Settings › Perpetuo › Guardrails or wait until midnight."
 */
export function describeBudgetRefusal(status: BudgetStatus, requestNanos: number, modelLabel: string): PerpetuoError {
  const { budget } = status;
  const name = `${describePeriod(budget.period)} budget`;
  const scope = SCOPE_LABEL[budget.scope];
  const wait = describeWait(status);
  const used = status.spentNanos + status.reservedNanos;
  const inFlight = status.reservedNanos > 0 ? ` (${formatUsd(status.reservedNanos)} of it reserved by requests in flight)` : '';
  const message =
    used >= budget.amountNanos
      ? `${name} used: ${formatUsd(used)} of ${formatUsd(budget.amountNanos)} for ${scope}${inFlight}. Raise it in ${budget.origin} or ${wait}.`
      : `${name} nearly used: ${formatUsd(used)} of ${formatUsd(budget.amountNanos)} for ${scope}${inFlight}, and ${modelLabel} could cost up to ${formatUsd(requestNanos)} for this request. ` +
        `Lower the maximum output tokens, pick a cheaper model, raise the budget in ${budget.origin} or ${wait}.`;
  return new PerpetuoError({ kind: 'budget', message, isRetryable: false });
}

function describeWait(status: BudgetStatus): string {
  const { period } = status.budget;
  if (typeof period === 'object') {
    return `wait for older spend to leave the ${period.rollingHours}-hour window`;
  }
  if (period === 'daily') {
    return 'wait until midnight';
  }
  const reset = new Date(status.resetsAtMs ?? 0);
  const date = `${reset.getFullYear()}-${String(reset.getMonth() + 1).padStart(2, '0')}-${String(reset.getDate()).padStart(2, '0')}`;
  return `wait until it resets on ${date}`;
}
