import type { PerpetuoError } from '../errors/perpetuo-error';
import type { BudgetSettlement } from '../guardrails/with-budget';
import { nanosToUsd } from '../ledger/convert-usd-units';
import type { LedgerRecord } from '../ledger/ledger-record';
import type { DecisionRecord } from '../routing/decision-record';
import type { RoutePlan } from '../routing/route-plan';
import type { RequestSource } from './routed-call';

export interface LedgerRecordInput {
  id: string;
  startedAt: number;
  finishedAt: number;
  firstContentAt: number | undefined;
  source: RequestSource;
  requestedModel: string;
  strategy: string | undefined;
  /** Undefined when planning itself failed (unknown model, policy left nothing, bad policy file). */
  plan: RoutePlan | undefined;
  /** Undefined when the request never reached the executor. */
  decision: DecisionRecord | undefined;
  /** One per budgeted call (a fallback adds one); their charges add up to what the request cost. */
  settlements: readonly BudgetSettlement[];
  failure: PerpetuoError | undefined;
  aborted: boolean;
  keyId: string | undefined;
  /** The serving call's `response-metadata`: an aggregator's upstream provider and its response id. */
  upstream: { provider?: string; id?: string };
  prompt: unknown;
  attribution: Record<string, string | undefined> | undefined;
}

/**
 * One ledger line from what the engine saw. Costs: what budgets were charged (the sum over every
 * call, failed fallbacks included, since a provider may bill a call that failed late), the
 * provider's own figure when it reported one, our computation from catalog prices, and the
 * plan's estimate for the serving target.
 */
export function buildLedgerRecord(input: LedgerRecordInput): LedgerRecord {
  const decision = input.decision;
  const servedCharge = input.settlements.at(-1)?.charge;
  const chargedNanos = input.settlements.reduce((sum, s) => sum + s.charge.chargedNanos, 0);
  const usage = decision?.usage ?? servedCharge?.usage;
  const served = decision?.served ?? undefined;
  const estimate = served?.estimatedCostUsd ?? input.plan?.targets[0]?.estimatedCostUsd ?? undefined;
  const error = input.failure && { kind: input.failure.kind, message: input.failure.message };
  const attribution = Object.fromEntries(Object.entries(input.attribution ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return {
    v: 1,
    id: input.id,
    time: new Date(input.startedAt).toISOString(),
    source: input.source,
    requested: { model: input.requestedModel, strategy: input.strategy },
    served: { model: served?.modelId, provider: served?.provider, upstreamProvider: input.upstream.provider, upstreamId: input.upstream.id },
    tokens: {
      input: { ...usage?.inputTokens },
      output: { ...usage?.outputTokens },
      raw: usage?.raw,
    },
    cost: {
      reportedUsd: decision?.reportedCostUsd ?? servedCharge?.reportedUsd,
      estimatedUsd: estimate === null ? undefined : estimate,
      computedUsd: servedCharge?.computedUsd,
      chargedUsd: nanosToUsd(chargedNanos),
      basis: servedCharge?.basis ?? 'none',
      unknownPriceFields: servedCharge?.unknownPriceFields.length ? servedCharge.unknownPriceFields : undefined,
    },
    latencyMs: Math.max(0, input.finishedAt - input.startedAt),
    ttftMs: input.firstContentAt === undefined ? undefined : Math.max(0, input.firstContentAt - input.startedAt),
    outcome: classify(input),
    error,
    decision: decision ?? (input.plan ? { plan: input.plan } : undefined),
    keyId: input.keyId,
    prompt: input.prompt,
    attribution: Object.keys(attribution).length ? attribution : undefined,
  };
}

function classify(input: LedgerRecordInput): LedgerRecord['outcome'] {
  if (input.decision) {
    switch (input.decision.outcome) {
      case 'success':
        return 'ok';
      case 'partial':
        return 'partial';
      case 'cancelled':
        return 'cancelled';
      case 'failed':
        return isBlocking(input.failure) ? 'blocked' : 'error';
    }
  }
  if (input.aborted) {
    return 'cancelled';
  }
  return isBlocking(input.failure) ? 'blocked' : 'error';
}

/** Refusals by our own rules (budgets, policy, routing found nothing) are "blocked", not provider errors. */
function isBlocking(error: PerpetuoError | undefined): boolean {
  return error !== undefined && (error.kind === 'budget' || error.kind === 'policy' || error.kind === 'no-eligible-model' || error.kind === 'config');
}
