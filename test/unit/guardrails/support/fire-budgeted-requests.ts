import { mergeGuardrails } from '../../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore, type BudgetStore } from '../../../../src/core/guardrails/open-budget-store';
import { withBudget, type BudgetSettlement } from '../../../../src/core/guardrails/with-budget';
import type { EndpointPricing } from '../../../../src/core/catalog/catalog-model';
import { collect, createFakeChatModel, plainUsage } from './create-fake-chat-model';

/** $10 per million input, $30 per million output. */
export const TEST_PRICING: EndpointPricing = { input: '0.00001', output: '0.00003' };
/** Each request reserves 1000 × $0.00001 + 500 × $0.00003 = $0.025 and really uses 400 output tokens = $0.022. */
export const PROMPT_TOKENS = 1000;
export const MAX_OUTPUT = 500;
export const ACTUAL_OUTPUT = 400;
export const RESERVE_NANOS = 25_000_000;
export const ACTUAL_NANOS = 22_000_000;

/** What a burst of requests did. */
export interface BurstResult {
  admitted: number;
  refused: number;
  chargedNanos: number;
  refusalKinds: string[];
}

/** Fires `count` concurrent requests through withBudget against a daily global budget of `budgetUsd`. */
export async function fireBudgetedRequests(options: { directory: string; count: number; budgetUsd: number; prefix: string; now?: () => number; store?: BudgetStore }): Promise<BurstResult> {
  const now = options.now ?? Date.now;
  const store = options.store ?? openBudgetStore({ directory: options.directory, now, pid: process.pid });
  const guardrails = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 'Settings › Perpetuo › Guardrails', guardrail: { budget: { amountUsd: options.budgetUsd, period: 'daily' } } }], {});
  const model = createFakeChatModel([
    { type: 'text-delta', delta: 'hello' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: plainUsage(PROMPT_TOKENS, ACTUAL_OUTPUT) },
  ]);
  const settlements: BudgetSettlement[] = [];
  const results = await Promise.all(
    Array.from({ length: options.count }, (_, i) =>
      collect(
        withBudget(model, {
          endpointPricing: TEST_PRICING,
          estimatePromptTokens: () => PROMPT_TOKENS,
          maxOutputTokens: MAX_OUTPUT,
          guardrails,
          store,
          clock: now,
          requestId: `${options.prefix}-${i}`,
          onSettled: (settlement) => settlements.push(settlement),
        }).stream({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, new AbortController().signal),
      ),
    ),
  );
  // Settlements count in the store at once; their lines go with a later batch: wait for them, and
  // release the unused part of the leases as a process shutting down does, so a store opened next
  // (another process, in effect) reads them.
  await store.releaseLeases();
  await store.flush();
  const refusals = results.map((parts) => parts.find((part) => part.type === 'error')).filter((part) => part !== undefined);
  return {
    admitted: results.length - refusals.length,
    refused: refusals.length,
    chargedNanos: settlements.reduce((sum, s) => sum + s.charge.chargedNanos, 0),
    refusalKinds: [...new Set(refusals.map((part) => (part.type === 'error' ? part.error.kind : 'none')))],
  };
}
