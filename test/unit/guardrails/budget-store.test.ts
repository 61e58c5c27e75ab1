import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePeriodWindow } from '../../../src/core/guardrails/compute-period-window';
import type { BudgetPeriod } from '../../../src/core/guardrails/guardrail-schema';
import { mergeGuardrails, type ScopedBudget } from '../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';

const local = (y: number, m: number, d: number, h = 0, min = 0): number => new Date(y, m - 1, d, h, min).getTime();
const USD = 1_000_000_000;

function budgetsOf(period: BudgetPeriod, amountUsd = 1): ScopedBudget[] {
  return mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 'Settings › Perpetuo › Guardrails', guardrail: { budget: { amountUsd, period } } }], {}).budgets;
}

describe('computePeriodWindow', () => {
  it('uses local calendar periods: midnight, Monday, the 1st', () => {
    const saturday = local(2026, 3, 14, 15, 30);
    assert.deepEqual(computePeriodWindow('daily', saturday), { startMs: local(2026, 3, 14), resetsAtMs: local(2026, 3, 15) });
    assert.deepEqual(computePeriodWindow('weekly', saturday), { startMs: local(2026, 3, 9), resetsAtMs: local(2026, 3, 16) });
    assert.deepEqual(computePeriodWindow('weekly', local(2026, 3, 16, 0, 0)), { startMs: local(2026, 3, 16), resetsAtMs: local(2026, 3, 23) });
    assert.deepEqual(computePeriodWindow('monthly', saturday), { startMs: local(2026, 3, 1), resetsAtMs: local(2026, 4, 1) });
    assert.deepEqual(computePeriodWindow('monthly', local(2026, 12, 31, 23)), { startMs: local(2026, 12, 1), resetsAtMs: local(2027, 1, 1) });
    assert.deepEqual(computePeriodWindow({ rollingHours: 5 }, saturday), { startMs: saturday - 5 * 3_600_000, resetsAtMs: undefined });
  });
});

describe('openBudgetStore', () => {
  let directory: string;
  let nowMs: number;
  const open = (extra: Partial<Parameters<typeof openBudgetStore>[0]> = {}) => openBudgetStore({ directory, now: () => nowMs, pid: process.pid, ...extra });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-budget-store-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('rolls a daily budget over at local midnight (injected clock)', async () => {
    const store = open();
    const daily = budgetsOf('daily');
    nowMs = local(2026, 3, 14, 23, 50);
    assert.deepEqual(await store.reserve({ id: 'r1', nanos: 0.9 * USD, scopeKeys: ['global'], budgets: daily }), { ok: true });
    await store.settle('r1', 0.9 * USD, ['global']);
    const refused = await store.reserve({ id: 'r2', nanos: 0.2 * USD, scopeKeys: ['global'], budgets: daily });
    assert.equal(refused.ok, false);
    nowMs = local(2026, 3, 14, 23, 59);
    assert.equal((await store.reserve({ id: 'r3', nanos: 0.2 * USD, scopeKeys: ['global'], budgets: daily })).ok, false);
    nowMs = local(2026, 3, 15, 0, 0);
    assert.equal((await store.reserve({ id: 'r4', nanos: 0.2 * USD, scopeKeys: ['global'], budgets: daily })).ok, true);
    const [status] = await store.status(daily);
    assert.equal(status?.spentNanos, 0);
    assert.equal(status?.reservedNanos, 0.2 * USD);
  });

  it("sees its own settlement at once, and writes it with the next reservation's batch (one lock, one write)", async () => {
    // A long gather window: the settlement's line can only reach the file with another batch.
    const store = open({ gatherMs: 60_000 });
    const daily = budgetsOf('daily');
    nowMs = local(2026, 3, 14, 12);
    assert.deepEqual(await store.reserve({ id: 'r1', nanos: 0.9 * USD, scopeKeys: ['global'], budgets: daily }), { ok: true });
    const settled = store.settle('r1', 0.05 * USD, ['global']);
    const [mine] = await store.status(daily);
    assert.deepEqual([mine?.spentNanos, mine?.reservedNanos], [0.05 * USD, 0], 'settled in this process before its line is written');
    assert.doesNotMatch(readFileSync(join(directory, 'budget-journal.jsonl'), 'utf8'), /"settle"/);
    assert.deepEqual(await store.reserve({ id: 'r2', nanos: 0.5 * USD, scopeKeys: ['global'], budgets: daily }), { ok: true });
    const ops = readFileSync(join(directory, 'budget-journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { op: string; id: string }).op + ' ' + (JSON.parse(line) as { id: string }).id);
    assert.deepEqual(ops, ['reserve r1', 'settle r1', 'reserve r2']);
    await settled;
    // Another process reading the file sees the same: 0.05 spent, 0.5 reserved.
    const [status] = await open().status(daily);
    assert.equal(status?.spentNanos, 0.05 * USD);
    assert.equal(status?.reservedNanos, 0.5 * USD);
  });

  it('rolls a monthly budget at the 1st and a rolling window as spend ages out', async () => {
    const store = open();
    const monthly = budgetsOf('monthly');
    const rolling = budgetsOf({ rollingHours: 5 });
    nowMs = local(2026, 1, 31, 20);
    await store.settle('m1', 0.8 * USD, ['global']);
    assert.equal((await store.reserve({ id: 'm2', nanos: 0.3 * USD, scopeKeys: ['global'], budgets: monthly })).ok, false);
    assert.equal((await store.reserve({ id: 'w1', nanos: 0.3 * USD, scopeKeys: ['global'], budgets: rolling })).ok, false);
    nowMs = local(2026, 2, 1, 0, 30);
    assert.equal((await store.reserve({ id: 'm3', nanos: 0.3 * USD, scopeKeys: ['global'], budgets: monthly })).ok, true);
    await store.release('m3');
    assert.equal((await store.reserve({ id: 'w2', nanos: 0.3 * USD, scopeKeys: ['global'], budgets: rolling })).ok, false, '4.5 h later the spend is still in the 5-hour window');
    nowMs = local(2026, 2, 1, 1, 0) + 1;
    assert.equal((await store.reserve({ id: 'w3', nanos: 0.3 * USD, scopeKeys: ['global'], budgets: rolling })).ok, true);
  });

  it('counts a request against every scope it belongs to, and only those', async () => {
    nowMs = local(2026, 3, 14, 12);
    const store = open();
    const budgets = mergeGuardrails(
      [
        { scope: 'global', scopeKey: 'global', origin: 's', guardrail: { budget: { amountUsd: 10, period: 'daily' } } },
        { scope: 'workspace', scopeKey: 'workspace:a', origin: 'p', guardrail: { budget: { amountUsd: 1, period: 'daily' } } },
      ],
      { workspaceId: 'a' },
    ).budgets;
    await store.settle('x', 0.9 * USD, ['global', 'workspace:a']);
    await store.settle('y', 5 * USD, ['global', 'workspace:b']);
    const refused = await store.reserve({ id: 'z', nanos: 0.2 * USD, scopeKeys: ['global', 'workspace:a'], budgets });
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? undefined : refused.status.budget.scopeKey, 'workspace:a');
    const statuses = await store.status(budgets);
    assert.deepEqual(statuses.map((s) => s.spentNanos), [5.9 * USD, 0.9 * USD]);
  });

  it("sees another store's reservations and spend in its status as soon as they are written", async () => {
    nowMs = local(2026, 3, 14, 12);
    const daily = budgetsOf('daily');
    const reader = open();
    const writer = open();
    assert.deepEqual((await reader.status(daily)).map((s) => [s.spentNanos, s.reservedNanos]), [[0, 0]]);
    assert.equal((await writer.reserve({ id: 'w1', nanos: 0.5 * USD, scopeKeys: ['global'], budgets: daily })).ok, true);
    assert.deepEqual((await reader.status(daily)).map((s) => [s.spentNanos, s.reservedNanos]), [[0, 0.5 * USD]]);
    assert.equal((await reader.reserve({ id: 'r1', nanos: 0.6 * USD, scopeKeys: ['global'], budgets: daily })).ok, false, 'the reservation holds across stores');
    await writer.settle('w1', 0.2 * USD, ['global']);
    assert.deepEqual((await reader.status(daily)).map((s) => [s.spentNanos, s.reservedNanos]), [[0.2 * USD, 0]]);
    assert.deepEqual((await reader.status(daily)).map((s) => [s.spentNanos, s.reservedNanos]), [[0.2 * USD, 0]], 'unchanged journal, same answer');
  });

  it('lets a zero-cost request through an exhausted budget', async () => {
    nowMs = local(2026, 3, 14, 12);
    const store = open();
    await store.settle('x', 1 * USD, ['global']);
    assert.deepEqual(await store.reserve({ id: 'free', nanos: 0, scopeKeys: ['global'], budgets: budgetsOf('daily') }), { ok: true });
  });

  it('charges in full the reservation of a process that died, once', async () => {
    nowMs = local(2026, 3, 14, 12);
    const warnings: string[] = [];
    const dead = open({ pid: 999_999_999, isProcessAlive: () => false });
    await dead.reserve({ id: 'orphan', nanos: 0.4 * USD, scopeKeys: ['global'], budgets: budgetsOf('daily') });
    dead.close(); // as if its process had exited: the pid check alone cannot tell within one process
    const alive = open({ isProcessAlive: (pid) => pid !== 999_999_999, onWarning: (m) => warnings.push(m) });
    const [status] = await alive.status(budgetsOf('daily'));
    assert.equal(status?.spentNanos, 0.4 * USD);
    assert.equal(status?.reservedNanos, 0);
    assert.match(warnings.join('\n'), /orphan of process 999999999, which exited without settling, was charged in full/);
    const again = open({ isProcessAlive: (pid) => pid !== 999_999_999 });
    assert.equal((await again.status(budgetsOf('daily')))[0]?.spentNanos, 0.4 * USD);
  });

  it('skips a torn journal line with a warning and keeps appending on a fresh line', async () => {
    nowMs = local(2026, 3, 14, 12);
    const store = open();
    await store.settle('a', 0.1 * USD, ['global']);
    appendFileSync(join(directory, 'budget-journal.jsonl'), '{"op":"settle","id":"torn","at":1,"nan');
    const warnings: string[] = [];
    const other = open({ onWarning: (m) => warnings.push(m) });
    await other.settle('b', 0.2 * USD, ['global']);
    assert.match(warnings.join('\n'), /torn last line/);
    const third = open({ onWarning: (m) => warnings.push(m) });
    assert.equal((await third.status(budgetsOf('daily')))[0]?.spentNanos, 0.3 * USD);
  });

  it('compacts the journal without changing any period\'s spend', async function () {
    this.timeout(60_000); // 1,200 fsync'd journal operations
    const budgets = [...budgetsOf('daily', 1000), ...budgetsOf('weekly', 1000), ...budgetsOf('monthly', 1000), ...budgetsOf({ rollingHours: 96 }, 1000)];
    nowMs = local(2026, 3, 2, 8);
    const writer = open({ compactAboveBytes: 1e9 });
    for (let i = 0; i < 600; i++) {
      nowMs += 60_000;
      await writer.reserve({ id: `c${i}`, nanos: 1000 + i, scopeKeys: ['global'], budgets });
      await writer.settle(`c${i}`, 1000 + i, ['global']);
    }
    nowMs = local(2026, 3, 5, 12);
    await writer.settle('today', 5, ['global']);
    const before = (await open().status(budgets)).map((s) => s.spentNanos);
    const bigSize = statSync(join(directory, 'budget-journal.jsonl')).size;

    const compactor = open({ compactAboveBytes: 20_000 });
    await compactor.settle('trigger', 7, ['global']);
    const size = statSync(join(directory, 'budget-journal.jsonl')).size;
    assert.ok(size < bigSize / 5, `journal not compacted: ${bigSize} → ${size} bytes`);
    assert.match(readFileSync(join(directory, 'budget-journal.jsonl'), 'utf8'), /"reason":"compacted"/);
    const expected = before.map((spent) => spent + 7);
    assert.deepEqual((await open().status(budgets)).map((s) => s.spentNanos), expected, 'a fresh reader sees the same spend');
    assert.deepEqual((await writer.status(budgets)).map((s) => s.spentNanos), expected, 'a process that read the old journal reloads the compacted one');
    assert.equal(before[2], Array.from({ length: 600 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 5));
    await compactor.settle('again', 1, ['global']);
    assert.ok(statSync(join(directory, 'budget-journal.jsonl')).size > size, 'no second compaction until the journal has doubled');
  });
});

describe('budget store reads without the lock', () => {
  it('answers status (with or without budgets) while another process holds the lock; reserving waits for it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perpetuo-budget-status-'));
    try {
      const budget = { id: 'global|daily', scope: 'global' as const, scopeKey: 'global', origin: 'test', amountNanos: USD, period: 'daily' as const, warnAtPercent: 80, nearLimit: 'warn' as const };
      await openBudgetStore({ directory, now: Date.now, pid: process.pid }).settle('earlier', 0.25 * USD, ['global']);
      const store = openBudgetStore({ directory, now: Date.now, pid: process.pid, lockTimeoutMs: 300, isProcessAlive: () => true });
      // A live holder: any locked operation would wait, then fail with a lock timeout.
      writeFileSync(join(directory, 'budget.lock'), `${process.pid} held-by-test ${Date.now()}\n`);
      assert.deepEqual(await store.status([]), []);
      const [status] = await store.status([budget]);
      assert.equal(status?.spentNanos, 0.25 * USD, 'read from the journal without the lock');
      await assert.rejects(store.reserve({ id: 'r', nanos: 1, scopeKeys: ['global'], budgets: [budget] }), /Could not lock/);
      assert.deepEqual(await store.reserve({ id: 'free', nanos: 1, scopeKeys: ['global'], budgets: [] }), { ok: true }, 'no budget applies: nothing to hold, no lock');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
