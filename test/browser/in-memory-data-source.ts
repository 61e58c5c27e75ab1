import type { BudgetGauge, ExportResult } from '../../src/shared/webview-protocol';
import { convertRecordToSample } from '../../src/vscode/dashboard/convert-record-to-sample';
import type {
  BaselineModel,
  DashboardAggregateRow,
  DashboardDataSource,
  DashboardLedgerRecord,
  DashboardSearch,
  RequestSample,
} from '../../src/vscode/dashboard/dashboard-data-source';

/**
 * The dashboard's data source over an array, with the ledger's semantics (newest first, local
 * days, source prefixes, case-insensitive text over the whole record), and a log of every call
 * so tests can see what the dashboard asked for.
 */
export class InMemoryDataSource implements DashboardDataSource {
  readonly searchCalls: DashboardSearch[] = [];
  readonly exportCalls: Array<{ format: 'csv' | 'json'; filters: DashboardSearch }> = [];
  readonly settingsCalls: string[] = [];
  /** While set, every query throws it: the host's ledger failing. */
  failure: string | undefined;
  private records: DashboardLedgerRecord[];
  private readonly text = new Map<string, string>();

  constructor(
    records: DashboardLedgerRecord[],
    private readonly clock: () => number,
    private readonly budgetList: BudgetGauge[] = [],
    private readonly baselines: BaselineModel[] = [],
  ) {
    this.records = [...records].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  }

  /** A request finished: it goes to the top. */
  add(record: DashboardLedgerRecord): void {
    this.records.unshift(record);
  }

  now(): number {
    return this.clock();
  }

  aggregate(groupBy: 'day' | 'model' | 'provider' | 'source', fromMs = -Infinity, toMs = Infinity): DashboardAggregateRow[] {
    this.check();
    const groups = new Map<string, DashboardAggregateRow>();
    for (const record of this.records) {
      const at = Date.parse(record.time);
      if (at < fromMs || at >= toMs) continue;
      const key = groupKey(record, groupBy);
      const group = groups.get(key) ?? { key, requests: 0, chargedUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, reasoningTokens: 0 };
      group.requests += 1;
      group.chargedUsd += record.cost.chargedUsd;
      group.inputTokens += record.tokens.input.total ?? 0;
      group.outputTokens += record.tokens.output.total ?? 0;
      group.cacheReadTokens += record.tokens.input.cacheRead ?? 0;
      group.reasoningTokens += record.tokens.output.reasoning ?? 0;
      groups.set(key, group);
    }
    const rows = [...groups.values()];
    return groupBy === 'day' ? rows.sort((a, b) => a.key.localeCompare(b.key)) : rows.sort((a, b) => b.chargedUsd - a.chargedUsd || a.key.localeCompare(b.key));
  }

  search(query: DashboardSearch): { total: number; records: DashboardLedgerRecord[] } {
    this.searchCalls.push(query);
    this.check();
    const matches = this.filter(query);
    const offset = query.offset ?? 0;
    return { total: matches.length, records: matches.slice(offset, offset + (query.limit ?? 50)) };
  }

  get(id: string): DashboardLedgerRecord | undefined {
    this.check();
    return this.records.find((record) => record.id === id);
  }

  samples(fromMs: number, toMs: number): RequestSample[] {
    this.check();
    return this.filter({ fromMs, toMs }).map(convertRecordToSample);
  }

  budgets(): BudgetGauge[] {
    this.check();
    return this.budgetList;
  }

  baselineModels(): BaselineModel[] {
    this.check();
    return this.baselines;
  }

  exportRecords(format: 'csv' | 'json', filters: DashboardSearch): ExportResult {
    this.check();
    this.exportCalls.push({ format, filters });
    return { saved: true, location: `/tmp/perpetuo-ledger.${format}`, records: this.filter(filters).length };
  }

  openSettings(query: string): void {
    this.settingsCalls.push(query);
  }

  /** The records a search matches, newest first. */
  filter(query: DashboardSearch): DashboardLedgerRecord[] {
    const needle = query.text?.toLowerCase();
    return this.records.filter((record) => {
      const at = Date.parse(record.time);
      if (query.fromMs !== undefined && at < query.fromMs) return false;
      if (query.toMs !== undefined && at >= query.toMs) return false;
      if (query.model !== undefined && (record.served.model ?? record.requested.model) !== query.model) return false;
      if (query.provider !== undefined && (record.served.provider ?? '') !== query.provider) return false;
      if (query.outcome !== undefined && record.outcome !== query.outcome) return false;
      if (query.source !== undefined) {
        const key = groupKey(record, 'source');
        if (key !== query.source && !key.startsWith(`${query.source}:`)) return false;
      }
      if (needle) {
        let text = this.text.get(record.id);
        if (text === undefined) {
          text = JSON.stringify(record).toLowerCase();
          this.text.set(record.id, text);
        }
        if (!text.includes(needle)) return false;
      }
      return true;
    });
  }

  private check(): void {
    if (this.failure !== undefined) throw new Error(this.failure);
  }
}

function groupKey(record: DashboardLedgerRecord, groupBy: 'day' | 'model' | 'provider' | 'source'): string {
  switch (groupBy) {
    case 'day': {
      const date = new Date(record.time);
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
    }
    case 'model':
      return record.served.model ?? record.requested.model;
    case 'provider':
      return record.served.provider ?? '';
    case 'source':
      return record.source.detail === undefined ? record.source.kind : `${record.source.kind}:${record.source.detail}`;
  }
}
