import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BudgetPeriod } from '../../../src/core/guardrails/guardrail-schema';
import { mergeGuardrails, type ScopedBudget } from '../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';

const USD = 1_000_000_000;
const CENT = USD / 100;

function budgetsOf(amountUsd: number, period: BudgetPeriod = 'daily'): ScopedBudget[] {
  return mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 'Settings › Perpetuo › Guardrails', guardrail: { budget: { amountUsd, period } } }], {}).budgets;
}

interface Line {
  op: string;
  id: string;
  nanos?: number;
  lease?: string;
}

describe('budget leases', () => {
  let directory: string;
  const nowMs = new Date(2026, 2, 14, 12).getTime();
  const open = (extra: Partial<Parameters<typeof openBudgetStore>[0]> = {}) => openBudgetStore({ directory, now: () => nowMs, pid: process.pid, ...extra });
  const journal = (): Line[] =>
    readFileSync(join(directory, 'budget-journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
  const reserve = (store: ReturnType<typeof open>, id: string, nanos: number, budgets: ScopedBudget[]) => store.reserve({ id, nanos, scopeKeys: ['global'], budgets });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-budget-leases-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('holds 16 alike requests in one reserve line; each settlement shrinks the lease, for this process and for others', async () => {
    const budgets = budgetsOf(100);
    const store = open();
    for (let i = 1; i <= 16; i++) {
      assert.deepEqual(await reserve(store, `r${i}`, CENT, budgets), { ok: true });
    }
    const [granted] = journal();
    assert.deepEqual(
      journal().map((line) => [line.op, line.nanos]),
      [['reserve', 16 * CENT]],
      'one line for 16 requests of 1 ¢: the lease',
    );
    assert.match(granted?.id ?? '', /^lease-/);

    await store.settle('r1', 0.4 * CENT, ['global']);
    await store.release('r2');
    await store.flush();
    assert.deepEqual(
      journal().map((line) => [line.op, line.id, line.nanos, line.lease]),
      [
        ['reserve', granted?.id, 16 * CENT, undefined],
        ['settle', 'r1', 0.4 * CENT, granted?.id],
      ],
      'a request released before any output spent nothing and writes nothing',
    );
    // Another process: all of the lease is held, less what was spent from it.
    const [other] = await open().status(budgets);
    assert.deepEqual([other?.spentNanos, other?.reservedNanos], [0.4 * CENT, 16 * CENT - 0.4 * CENT]);
    // This process: what its 14 running requests hold.
    const [mine] = await store.status(budgets);
    assert.deepEqual([mine?.spentNanos, mine?.reservedNanos], [0.4 * CENT, 14 * CENT]);
  });

  it('takes the lock again once a lease is used up, and releases what is left of the old one when its last request ends', async () => {
    const budgets = budgetsOf(100);
    const store = open();
    for (let i = 1; i <= 16; i++) {
      await reserve(store, `r${i}`, CENT, budgets);
    }
    await store.settle('r1', 0.5 * CENT, ['global']);
    // r1 gave back 0.5 ¢ of room: a request of 1 ¢ does not fit in what is left.
    await reserve(store, 'r17', CENT, budgets);
    const grants = journal().filter((line) => line.op === 'reserve');
    assert.equal(grants.length, 2, 'a second lease');
    for (let i = 2; i <= 16; i++) {
      await store.settle(`r${i}`, CENT, ['global']);
    }
    await store.flush();
    const lines = journal();
    assert.deepEqual(
      lines.filter((line) => line.op === 'release').map((line) => line.id),
      [grants[0]?.id],
      'the first lease is released once r2…r16 are settled',
    );
    const [other] = await open().status(budgets);
    assert.equal(other?.spentNanos, 15.5 * CENT);
    assert.equal(other?.reservedNanos, 16 * CENT, 'only the second lease is still held');
  });

  it('near a limit, each request reserves alone under its own id, exactly as without leases', async () => {
    // $1 left: 1/8 of it is 12.5 ¢, room for one request of 10 ¢ only.
    const budgets = budgetsOf(1);
    const store = open();
    assert.deepEqual(await reserve(store, 'big1', 10 * CENT, budgets), { ok: true });
    assert.deepEqual(await reserve(store, 'big2', 10 * CENT, budgets), { ok: true });
    assert.deepEqual(
      journal().map((line) => [line.op, line.id, line.nanos]),
      [
        ['reserve', 'big1', 10 * CENT],
        ['reserve', 'big2', 10 * CENT],
      ],
    );
    // A lease is only ever an eighth of what is left: 1 ¢ requests get leases of 10 ¢ (not 16 ¢) here.
    await reserve(store, 'small', CENT, budgets);
    assert.deepEqual(journal().at(-1)?.nanos, 10 * CENT);
  });

  it('never admits past a budget: 400 concurrent requests of 1 ¢ against $1 spend at most $1, and every cent that fits is used', async () => {
    const budgets = budgetsOf(1);
    const store = open();
    const outcomes = await Promise.all(Array.from({ length: 400 }, (_, i) => reserve(store, `c${i}`, CENT, budgets)));
    const admitted = outcomes.flatMap((outcome, i) => (outcome.ok ? [`c${i}`] : []));
    assert.equal(admitted.length, 100, 'leases hold whole requests: no remainder is wasted');
    await Promise.all(admitted.map((id) => store.settle(id, CENT, ['global'])));
    await store.releaseLeases();
    await store.flush();
    const [other] = await open().status(budgets);
    assert.deepEqual([other?.spentNanos, other?.reservedNanos], [USD, 0]);
  });

  it('releases an idle lease when it expires, and on releaseLeases()', async () => {
    const budgets = budgetsOf(100);
    const store = open({ leaseMs: 50 });
    await reserve(store, 'a', CENT, budgets);
    await store.settle('a', CENT, ['global']);
    await sleep(120);
    await store.flush();
    assert.deepEqual(
      journal().map((line) => line.op),
      ['reserve', 'settle', 'release'],
    );
    assert.deepEqual((await open().status(budgets)).map((s) => [s.spentNanos, s.reservedNanos]), [[CENT, 0]]);

    const shutdown = open();
    await reserve(shutdown, 'b', CENT, budgets);
    await shutdown.settle('b', CENT, ['global']);
    await shutdown.releaseLeases();
    assert.deepEqual((await open().status(budgets)).map((s) => [s.spentNanos, s.reservedNanos]), [[2 * CENT, 0]]);
  });

  it('counts a lease settlement once when the journal is compacted by another process before its line is written', async () => {
    const budgets = budgetsOf(100);
    // A long gather window: the settlement waits for another batch.
    const store = open({ gatherMs: 60_000 });
    await reserve(store, 'a', CENT, budgets);
    const settled = store.settle('a', 0.3 * CENT, ['global']);
    await open({ compactAboveBytes: 1 }).settle('elsewhere', CENT, ['global']);
    assert.ok(journal().some((line) => line.op === 'compacted'), 'the other store compacted the journal');
    // A reservation under another budget makes the batch the settlement rides with.
    await store.reserve({ id: 'b', nanos: CENT, scopeKeys: ['global'], budgets: budgetsOf(100, 'weekly') });
    await settled;
    assert.deepEqual((await open().status(budgets)).map((s) => s.spentNanos), [1.3 * CENT]);
    assert.deepEqual((await store.status(budgets)).map((s) => [s.spentNanos, s.reservedNanos]), [[1.3 * CENT, CENT]], 'b holds 1 ¢');
  });

  it('charges all of a lease held by a process that died, like any reservation it left', async () => {
    const budgets = budgetsOf(100);
    const dead = open({ pid: 999_999_999, isProcessAlive: () => false });
    await reserve(dead, 'x', CENT, budgets);
    dead.close();
    const [status] = await open({ isProcessAlive: (pid) => pid !== 999_999_999 }).status(budgets);
    assert.deepEqual([status?.spentNanos, status?.reservedNanos], [16 * CENT, 0]);
  });

  it('turns leases off with leaseMs 0', async () => {
    const store = open({ leaseMs: 0 });
    await reserve(store, 'a', CENT, budgetsOf(100));
    await reserve(store, 'b', CENT, budgetsOf(100));
    assert.deepEqual(
      journal().map((line) => line.id),
      ['a', 'b'],
    );
  });
});
