import type { LedgerRecord } from '../../../../src/core/ledger/ledger-record';

/** A valid ledger record with every field a test does not care about filled in. */
export function makeLedgerRecord(overrides: Partial<LedgerRecord> & { id: string }): LedgerRecord {
  return {
    v: 1,
    time: '2026-03-14T10:00:00.000Z',
    source: { kind: 'chat' },
    requested: { model: 'auto', strategy: 'cheapest' },
    served: { model: 'openai/gpt-5-mini', provider: 'openai' },
    tokens: { input: { total: 100, noCache: 100 }, output: { total: 20, text: 20 } },
    cost: { chargedUsd: 0.001, computedUsd: 0.001, estimatedUsd: 0.002 },
    latencyMs: 800,
    ttftMs: 200,
    outcome: 'ok',
    ...overrides,
  };
}
