import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mergeGuardrails } from '../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { ACTUAL_NANOS, type BurstResult, fireBudgetedRequests, RESERVE_NANOS } from './support/fire-budgeted-requests';

const run = promisify(execFile);

async function settledSpend(directory: string, budgetUsd: number): Promise<{ spent: number; reserved: number }> {
  const guardrails = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 'test', guardrail: { budget: { amountUsd: budgetUsd, period: 'daily' } } }], {});
  const [status] = await openBudgetStore({ directory, now: Date.now, pid: process.pid }).status(guardrails.budgets);
  assert.ok(status);
  return { spent: status.spentNanos, reserved: status.reservedNanos };
}

describe('budget under concurrency', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-budget-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('200 concurrent requests in one process never settle above a $1 budget', async () => {
    const result = await fireBudgetedRequests({ directory, count: 200, budgetUsd: 1, prefix: 'one' });
    const { spent, reserved } = await settledSpend(directory, 1);
    assert.equal(reserved, 0, 'every reservation was settled or released');
    assert.equal(spent, result.chargedNanos);
    assert.ok(spent <= 1_000_000_000, `settled ${spent} nanos > budget`);
    // At least the reservations that fit at once were admitted; the budget did not simply refuse everything.
    assert.ok(result.admitted >= Math.floor(1_000_000_000 / RESERVE_NANOS), `only ${result.admitted} admitted`);
    assert.equal(spent, result.admitted * ACTUAL_NANOS);
    assert.equal(result.admitted + result.refused, 200);
    assert.deepEqual(result.refusalKinds, ['budget']);
  });

  it('two OS processes sharing the directory, 100 concurrent requests each, never settle above the budget together', async function () {
    this.timeout(60_000);
    const child = join(__dirname, 'support', 'budget-burst-child.ts');
    const env = { ...process.env, START_AT: String(Date.now() + 1500) };
    const [a, b] = await Promise.all(
      ['a', 'b'].map((prefix) => run(process.execPath, ['--import', 'tsx', child, directory, '100', '1', prefix], { env }).then(({ stdout }) => JSON.parse(stdout) as BurstResult)),
    );
    assert.ok(a && b);
    const { spent, reserved } = await settledSpend(directory, 1);
    assert.equal(reserved, 0);
    assert.equal(spent, a.chargedNanos + b.chargedNanos, 'the journal holds exactly what both processes charged');
    assert.ok(spent <= 1_000_000_000, `settled ${spent} nanos > budget`);
    assert.ok(a.admitted + b.admitted >= Math.floor(1_000_000_000 / RESERVE_NANOS));
    assert.equal(a.admitted + a.refused + b.admitted + b.refused, 200);
  });
});
