import type { LedgerRecord } from './ledger-record';

const CSV_COLUMNS: Array<[string, (record: LedgerRecord) => string | number | undefined]> = [
  ['time', (r) => r.time],
  ['id', (r) => r.id],
  ['source', (r) => r.source.kind],
  ['source_detail', (r) => r.source.detail],
  ['requested_model', (r) => r.requested.model],
  ['strategy', (r) => r.requested.strategy],
  ['served_model', (r) => r.served.model],
  ['provider', (r) => r.served.provider],
  ['upstream_provider', (r) => r.served.upstreamProvider],
  ['upstream_id', (r) => r.served.upstreamId],
  ['input_tokens', (r) => r.tokens.input.total],
  ['cache_read_tokens', (r) => r.tokens.input.cacheRead],
  ['cache_write_tokens', (r) => r.tokens.input.cacheWrite],
  ['cache_write_1h_tokens', (r) => r.tokens.input.cacheWrite1h],
  ['output_tokens', (r) => r.tokens.output.total],
  ['reasoning_tokens', (r) => r.tokens.output.reasoning],
  ['reported_usd', (r) => r.cost.reportedUsd],
  ['computed_usd', (r) => r.cost.computedUsd],
  ['estimated_usd', (r) => r.cost.estimatedUsd],
  ['charged_usd', (r) => r.cost.chargedUsd],
  ['cost_basis', (r) => r.cost.basis],
  ['latency_ms', (r) => r.latencyMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['outcome', (r) => r.outcome],
  ['error_kind', (r) => r.error?.kind],
  ['error_message', (r) => r.error?.message],
  ['key_id', (r) => r.keyId],
];

/**
 * RFC 4180 CSV: CRLF line ends, a header row, fields holding a comma, quote, CR or LF quoted with
 * quotes doubled. Text that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`) is
 * prefixed with `'`, because error messages come from upstream servers (OWASP CSV injection).
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
export function formatLedgerCsv(records: Iterable<LedgerRecord>): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const record of records) {
    lines.push(CSV_COLUMNS.map(([, read]) => csvField(read(record))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A JSON array of records, one per line, for `jq` and for re-import. */
export function formatLedgerJson(records: Iterable<LedgerRecord>): string {
  const parts: string[] = [];
  for (const record of records) {
    parts.push(JSON.stringify(record));
  }
  return parts.length === 0 ? '[]\n' : `[\n${parts.join(',\n')}\n]\n`;
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
