import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointPricing } from '../../../src/core/catalog/catalog-model';
import { PerpetuoError } from '../../../src/core/errors';
import type { Guardrail } from '../../../src/core/guardrails/guardrail-schema';
import { mergeGuardrails } from '../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore, type BudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { planNearLimitAdjustments } from '../../../src/core/guardrails/plan-near-limit-adjustments';
import { type BudgetSettlement, withBudget } from '../../../src/core/guardrails/with-budget';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { collect, createFakeChatModel, plainUsage } from './support/create-fake-chat-model';

const PRICING: EndpointPricing = { input: '0.00001', output: '0.00003' }; // $10 / $30 per M
const hello = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const finish = (input: number, output: number, reportedCostUsd?: number): ChatStreamPart => ({
  type: 'finish',
  finishReason: { unified: 'stop', raw: 'stop' },
  usage: plainUsage(input, output),
  ...(reportedCostUsd === undefined ? {} : { reportedCostUsd }),
});

describe('withBudget', () => {
  let directory: string;
  let store: BudgetStore;
  const now = () => new Date(2026, 2, 14, 12).getTime();
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-with-budget-'));
    store = openBudgetStore({ directory, now, pid: process.pid });
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  async function run(parts: ChatStreamPart[], options: { guardrail?: Guardrail; pricing?: EndpointPricing; provider?: string; abortAfter?: number; stopAfter?: number } = {}) {
    const guardrails = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 'Settings › Perpetuo › Guardrails', guardrail: options.guardrail ?? { budget: { amountUsd: 1, period: 'daily' } } }], {});
    const settlements: BudgetSettlement[] = [];
    const model = withBudget(createFakeChatModel(parts, options.provider ?? 'openai', 'm'), {
      endpointPricing: options.pricing ?? PRICING,
      estimatePromptTokens: () => 1000,
      maxOutputTokens: 1000,
      guardrails,
      store,
      clock: now,
      requestId: `r${Math.random()}`,
      onSettled: (s) => settlements.push(s),
    });
    const controller = new AbortController();
    const seen: ChatStreamPart[] = [];
    for await (const part of model.stream(hello, controller.signal)) {
      seen.push(part);
      if (options.abortAfter !== undefined && seen.length >= options.abortAfter) controller.abort();
      if (options.stopAfter !== undefined && seen.length >= options.stopAfter) break;
    }
    const [status] = await store.status(guardrails.budgets);
    return { seen, settlement: settlements[0], spent: status?.spentNanos ?? 0, reserved: status?.reservedNanos ?? 0 };
  }

  it('reserves prompt × input + max output × output, then settles to the reported cost', async () => {
    const { settlement, spent, reserved } = await run([{ type: 'text-delta', delta: 'ok' }, finish(900, 100, 0.0123)]);
    assert.equal(settlement?.reservedNanos, 40_000_000); // 1000 × $10/M + 1000 × $30/M
    assert.equal(settlement?.charge.basis, 'reported');
    assert.equal(spent, 12_300_000);
    assert.equal(reserved, 0);
  });

  it('settles to the computed cost when the provider reports none', async () => {
    const { spent, settlement } = await run([{ type: 'text-delta', delta: 'ok' }, finish(900, 100)]);
    assert.equal(settlement?.charge.basis, 'computed');
    assert.equal(spent, 900 * 10_000 + 100 * 30_000);
  });

  it('settles the output seen when a stream is cut after content, and releases when it failed before any', async () => {
    const cut = await run([{ type: 'text-delta', delta: 'x'.repeat(300) }, { type: 'error', error: new PerpetuoError({ kind: 'network', message: 'reset' }) }]);
    assert.equal(cut.settlement?.charge.basis, 'estimated-partial');
    assert.equal(cut.spent, 1000 * 10_000 + 100 * 30_000, 'prompt + ⌈300 chars / 3⌉ output tokens');
    const failed = await run([{ type: 'error', error: new PerpetuoError({ kind: 'overloaded', message: 'busy' }) }]);
    assert.equal(failed.settlement?.charge.basis, 'none');
    assert.equal(failed.spent, cut.spent, 'a failure before any output costs nothing');
    assert.equal(failed.reserved, 0);
  });

  it('settles when the caller stops reading, and charges the whole reservation on a provider that bills after an abort', async () => {
    const stopped = await run([{ type: 'text-delta', delta: 'abc' }, { type: 'text-delta', delta: 'def' }, finish(1, 1)], { stopAfter: 1 });
    assert.equal(stopped.settlement?.charge.basis, 'estimated-partial');
    assert.equal(stopped.reserved, 0);
    const groq = await run([{ type: 'text-delta', delta: 'abc' }, { type: 'text-delta', delta: 'def' }, finish(1, 1)], { provider: 'groq', abortAfter: 1 });
    assert.equal(groq.settlement?.charge.basis, 'reservation');
    assert.equal(groq.spent - stopped.spent, 40_000_000);
  });

  it('never sums two finish parts (cumulative usage is a snapshot)', async () => {
    const { spent } = await run([{ type: 'text-delta', delta: 'ok' }, finish(100, 10), finish(100, 25)]);
    assert.equal(spent, 100 * 10_000 + 25 * 30_000);
  });

  it('refuses with a budget error that says what is used, where to raise it and when it resets', async () => {
    await store.settle('earlier', 1_000_000_000, ['global']);
    const { seen, spent } = await run([finish(1, 1)]);
    assert.equal(seen.length, 1);
    const part = seen[0];
    assert.ok(part?.type === 'error');
    assert.equal(part.error.kind, 'budget');
    assert.equal(part.error.message, 'Daily budget used: $1.00 of $1.00 for all requests. Raise it in Settings › Perpetuo › Guardrails or wait until midnight.');
    assert.equal(spent, 1_000_000_000);
  });

  it('blocks an unpriced model unless unpriced models are allowed, and enforces the per-request cap', async () => {
    const unpriced = await run([finish(1, 1)], { pricing: { input: undefined, output: '0.00003' } });
    assert.ok(unpriced.seen[0]?.type === 'error' && unpriced.seen[0].error.kind === 'policy');
    assert.match(unpriced.seen[0]?.type === 'error' ? unpriced.seen[0].error.message : '', /input price of openai\/m is unknown.*allowUnpriced/);
    const allowed = await run([finish(1, 1)], { pricing: { input: undefined, output: '0.00003' }, guardrail: { allowUnpriced: true } });
    assert.equal(allowed.seen[0]?.type, 'finish');
    const capped = await run([finish(1, 1)], { guardrail: { maxCostPerRequestUsd: 0.01 } });
    assert.match(capped.seen[0]?.type === 'error' ? capped.seen[0].error.message : '', /could cost up to \$0\.04 .* above your \$0\.01\/request cap\. Set a lower maximum output \(max_tokens\)/);
  });

  it('downgrades or warns near the limit, as configured', async () => {
    const guardrails = mergeGuardrails(
      [
        { scope: 'global', scopeKey: 'global', origin: 'Settings › Perpetuo › Guardrails', guardrail: { budget: { amountUsd: 1, period: 'daily', warnAtPercent: 80, nearLimit: 'downgrade-free' } } },
        { scope: 'workspace', scopeKey: 'workspace:w', origin: '.perpetuo/policy.json', guardrail: { budget: { amountUsd: 10, period: 'monthly', nearLimit: 'downgrade-cheaper' } } },
      ],
      { workspaceId: 'w' },
    );
    await store.settle('a', 850_000_000, ['global', 'workspace:w']);
    const plan = planNearLimitAdjustments(await store.status(guardrails.budgets), { strategy: 'quality', allowModels: ['openai/*', 'x/y:free'] });
    assert.equal(plan.action, 'downgrade-free');
    assert.deepEqual(plan.policy, { strategy: 'quality', allowModels: ['openai/*:free', 'x/y:free'] });
    assert.deepEqual(plan.warnings.map((w) => w.message), ['Daily budget at 85 %: $0.85 of $1.00 (Settings › Perpetuo › Guardrails). Only :free models are used until it resets.']);
    const calm = planNearLimitAdjustments([], { strategy: 'quality' });
    assert.deepEqual(calm, { policy: { strategy: 'quality' }, action: 'none', warnings: [] });
  });

  it('does not share state between concurrent streams of one wrapped model', async () => {
    const guardrails = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 's', guardrail: { budget: { amountUsd: 5, period: 'daily' } } }], {});
    const settlements: BudgetSettlement[] = [];
    let n = 0;
    const inner = createFakeChatModel(() => [{ type: 'text-delta', delta: 'x' }, finish(10, ++n)]);
    const model = withBudget(inner, { endpointPricing: PRICING, estimatePromptTokens: () => 10, maxOutputTokens: 100, guardrails, store, clock: now, requestId: 'same', onSettled: (s) => settlements.push(s) });
    await Promise.all([1, 2, 3].map(() => collect(model.stream(hello, new AbortController().signal))));
    assert.deepEqual(settlements.map((s) => s.reservationId).sort(), ['same', 'same#2', 'same#3']);
    assert.equal(settlements.reduce((sum, s) => sum + s.charge.chargedNanos, 0), 3 * 10 * 10_000 + (1 + 2 + 3) * 30_000);
  });
});
