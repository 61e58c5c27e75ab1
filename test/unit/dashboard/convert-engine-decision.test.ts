import assert from 'node:assert/strict';
import type { AttemptRecord } from '../../../src/core/routing/decision-record';
import { convertRecordToDecision } from '../../../src/vscode/dashboard/convert-record-to-decision';
import type { DashboardLedgerRecord } from '../../../src/vscode/dashboard/dashboard-data-source';

describe('the dashboard reads the decisions the engine writes', () => {
  it('shows every executor attempt, with its provider, outcome, error and timings', () => {
    const target = (provider: string) => ({ modelId: 'openai/gpt-4o-mini', provider, upstreamModelId: 'gpt-4o-mini', estimatedCostUsd: 0.0001, contextLength: 128000, why: 'cheapest' });
    const attempts: AttemptRecord[] = [
      { target: target('openrouter'), startedAt: 1, ttftMs: null, durationMs: 40, outcome: 'failed', skipped: null, error: { kind: 'overloaded', message: 'provider overloaded' } },
      { target: target('openai'), startedAt: 41, ttftMs: 120, durationMs: 300, outcome: 'success', skipped: null, error: null },
    ];
    const record: DashboardLedgerRecord = {
      id: 'req_1',
      time: new Date(0).toISOString(),
      source: { kind: 'chat' },
      requested: { model: 'openai/gpt-4o-mini' },
      served: { model: 'openai/gpt-4o-mini', provider: 'openai' },
      tokens: { input: { total: 10 }, output: { total: 5 } },
      cost: { chargedUsd: 0.0001 },
      latencyMs: 340,
      outcome: 'ok',
      decision: { plan: { kind: 'model', strategy: 'cheapest', explanation: 'x', targets: [target('openrouter'), target('openai')], rejected: [] }, attempts },
    };
    const detail = convertRecordToDecision(record);
    assert.deepEqual(
      detail.attempts.map((a) => [a.provider, a.outcome, a.error?.message, a.latencyMs, a.ttftMs]),
      [
        ['openrouter', 'failed', 'provider overloaded', 40, undefined],
        ['openai', 'success', undefined, 300, 120],
      ],
    );
  });
});
