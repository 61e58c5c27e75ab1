import type { DashboardLedgerRecord, RequestSample } from './dashboard-data-source';

/** The numbers of one ledger record that performance and savings are computed from. */
export function convertRecordToSample(record: DashboardLedgerRecord): RequestSample {
  return {
    atMs: Date.parse(record.time),
    model: record.served.model ?? record.requested.model,
    provider: record.served.provider ?? '',
    outcome: record.outcome,
    latencyMs: record.latencyMs,
    ttftMs: record.ttftMs,
    chargedUsd: record.cost.chargedUsd,
    inputTokens: record.tokens.input.total,
    outputTokens: record.tokens.output.total,
    cacheReadTokens: record.tokens.input.cacheRead,
    cacheWriteTokens: record.tokens.input.cacheWrite,
  };
}
