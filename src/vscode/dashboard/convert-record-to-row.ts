import type { RecordRow } from '../../shared/webview-protocol';
import type { DashboardLedgerRecord } from './dashboard-data-source';

/** The table's view of a ledger record: only what a row shows, so a page stays small. */
export function convertRecordToRow(record: DashboardLedgerRecord): RecordRow {
  const row: RecordRow = {
    id: record.id,
    time: record.time,
    source: record.source.detail === undefined ? { kind: record.source.kind } : { kind: record.source.kind, detail: record.source.detail },
    requestedModel: record.requested.model,
    chargedUsd: record.cost.chargedUsd,
    latencyMs: record.latencyMs,
    outcome: record.outcome,
  };
  // Absent stays absent (not `undefined` keys): postMessage clones them either way, but tests compare rows.
  if (record.served.model !== undefined) row.servedModel = record.served.model;
  if (record.served.provider !== undefined) row.provider = record.served.provider;
  if (record.tokens.input.total !== undefined) row.inputTokens = record.tokens.input.total;
  if (record.tokens.output.total !== undefined) row.outputTokens = record.tokens.output.total;
  if (record.ttftMs !== undefined) row.ttftMs = record.ttftMs;
  if (record.error !== undefined) row.errorKind = record.error.kind;
  return row;
}
