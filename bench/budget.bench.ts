import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mergeGuardrails } from '../src/core/guardrails/merge-guardrails';
import { DEFAULT_GATHER_MS, DEFAULT_SYNC_DELAY_MS } from '../src/core/journal';
import { openBudgetStore } from '../src/core/guardrails/open-budget-store';
import type { BenchResult } from './bench-result';

/** Reserve and settle cost, the admission overhead every budgeted request pays. */
export async function run(): Promise<BenchResult[]> {
  const directory = mkdtempSync(join(tmpdir(), 'perpetuo-budget-bench-'));
  try {
    const store = openBudgetStore({ directory, now: Date.now, pid: process.pid });
    const { budgets, scopeKeys } = mergeGuardrails(
      [
        { scope: 'global', scopeKey: 'global', origin: 'bench', guardrail: { budgets: [{ amountUsd: 1e6, period: 'daily' }, { amountUsd: 1e6, period: 'monthly' }] } },
        { scope: 'workspace', scopeKey: 'workspace:w', origin: 'bench', guardrail: { budget: { amountUsd: 1e6, period: { rollingHours: 5 } } } },
      ],
      { workspaceId: 'w' },
    );
    // A user's sequential requests: reserve, answer, settle; the settlement counts here at once and
    // its line rides with a later batch. Away from a limit most reservations draw on a lease.
    const single: number[] = [];
    const settles: number[] = [];
    for (let i = 0; i < 200; i++) {
      let started = performance.now();
      await store.reserve({ id: `s${i}`, nanos: 1000, scopeKeys, budgets });
      single.push(performance.now() - started);
      started = performance.now();
      void store.settle(`s${i}`, 900, scopeKeys);
      settles.push(performance.now() - started);
    }
    await store.flush();
    // The same without leases: what every reservation costs near a limit, where each one reserves alone.
    const alone = openBudgetStore({ directory, now: Date.now, pid: process.pid, leaseMs: 0 });
    const locked: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await alone.reserve({ id: `a${i}`, nanos: 1000, scopeKeys, budgets });
      locked.push(performance.now() - started);
      void alone.settle(`a${i}`, 900, scopeKeys);
    }
    await alone.flush();
    locked.sort((a, b) => a - b);
    const durable: number[] = [];
    for (let i = 0; i < 20; i++) {
      await store.reserve({ id: `d${i}`, nanos: 1000, scopeKeys, budgets });
      const started = performance.now();
      await store.settle(`d${i}`, 900, scopeKeys);
      durable.push(performance.now() - started);
    }
    durable.sort((a, b) => a - b);
    single.sort((a, b) => a - b);
    settles.sort((a, b) => a - b);
    const status: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      await store.status(budgets);
      status.push(performance.now() - started);
    }
    status.sort((a, b) => a - b);
    const burst = 200;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: burst }, async (_, i) => {
        await store.reserve({ id: `b${i}`, nanos: 1000, scopeKeys, budgets });
        void store.settle(`b${i}`, 900, scopeKeys);
      }),
    );
    const perRequest = ((performance.now() - started) * 1000) / burst;
    await store.flush();
    return [
      { name: 'budget reserve, single request (on the request path; most draw on a lease in memory)', value: Number(((single[100] ?? 0) * 1000).toFixed(1)), unit: 'µs', notes: 'median of 200; one in 16 takes the lock for a new lease' },
      { name: 'budget reserve alone, near a limit (lock + journal append)', value: Number(((locked[100] ?? 0) * 1000).toFixed(0)), unit: 'µs', notes: 'median of 200, leases off; carries earlier settlements; visible to other processes once written, not synced' },
      { name: 'budget settle, single request (counted in this process; its line goes with the next batch)', value: Number(((settles[100] ?? 0) * 1000).toFixed(1)), unit: 'µs', notes: 'median of 200; after the response, nothing waits for it' },
      {
        name: 'budget settle alone, until on disk (gather window + sync window + fdatasync)',
        value: Number((durable[10] ?? 0).toFixed(1)),
        unit: 'ms',
        notes: `median of 20; no reservation to ride with: written after the ${DEFAULT_GATHER_MS} ms gather window, synced after the ${DEFAULT_SYNC_DELAY_MS} ms sync window`,
      },
      { name: 'budget status, journal unchanged (on the request path)', value: Number(((status[500] ?? 0) * 1000).toFixed(1)), unit: 'µs', notes: 'median of 1000; one stat, no read, no lock' },
      { name: 'budget reserve + settle, 200 concurrent requests', value: Number(perRequest.toFixed(1)), unit: 'µs/request', notes: 'until every reservation is answered and every settlement made; operations queued while the lock is taken share one write, and a window shares one fdatasync (not timed: no request waits for it)' },
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
