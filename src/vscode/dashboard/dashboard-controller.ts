import {
  type DashboardQueries,
  type DashboardQueryType,
  type DashboardSummary,
  type DashboardTheme,
  type HostToWebview,
  type PeriodSpend,
  type QueryMessage,
  type RecordFilters,
  type SpendGroup,
  isQueryType,
  isWebviewToHost,
} from '../../shared/webview-protocol';
import { computePerformanceReport } from './compute-performance-report';
import { computeSavings } from './compute-savings';
import { convertRecordToDecision } from './convert-record-to-decision';
import { convertRecordToRow } from './convert-record-to-row';
import type { DashboardAggregateRow, DashboardDataSource, DashboardLedgerRecord, DashboardSearch } from './dashboard-data-source';
import { resolveTimeRange } from './resolve-time-range';

/** What the controller tells the webview about the host on `ready`, and where it complains. */
export interface DashboardControllerOptions {
  version?: string;
  theme?: () => DashboardTheme;
  warn?: (message: string) => void;
}

/** How many rows around a record's time `query-locate` scans to place it among same-millisecond rows. */
const LOCATE_WINDOW = 200;

/**
 * The host side of the dashboard: validates every message from the webview, answers each query
 * from the data source, and forwards the extension's pushes. It imports no `vscode`, so it is
 * tested in plain Node; the panel only wires `webview.onDidReceiveMessage` to {@link handle}.
 */
export class DashboardController {
  private ready = false;
  private pendingReveal: string | undefined;

  constructor(
    private readonly post: (message: HostToWebview) => void,
    private readonly source: DashboardDataSource,
    private readonly options: DashboardControllerOptions = {},
  ) {}

  /** Handles one message from the webview; resolves once it has been answered. Never throws. */
  async handle(message: unknown): Promise<void> {
    if (!isWebviewToHost(message)) {
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      const requestId = typeof message === 'object' && message !== null ? (message as { requestId?: unknown }).requestId : undefined;
      this.warn(`dashboard: ignored an invalid message${typeof type === 'string' ? ` of type "${type.slice(0, 40)}"` : ''}`);
      // A malformed query still gets its answer, so the webview shows an error instead of waiting forever.
      if (isQueryType(type) && Number.isSafeInteger(requestId)) {
        this.post({ type: 'response', requestId: requestId as number, query: type, ok: false, error: 'The dashboard sent a malformed request.' });
      }
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'init', version: this.options.version ?? '', theme: this.options.theme?.() ?? 'dark' });
        if (this.pendingReveal !== undefined) {
          this.post({ type: 'reveal-decision', id: this.pendingReveal });
          this.pendingReveal = undefined;
        }
        return;
      case 'open-settings':
        try {
          await this.source.openSettings(message.query);
        } catch (error) {
          this.warn(`dashboard: could not open settings: ${describe(error)}`);
        }
        return;
      default:
        await this.answer(message);
    }
  }

  /** A request finished and was logged. */
  recordAdded(record: DashboardLedgerRecord): void {
    this.post({ type: 'record-added', row: convertRecordToRow(record) });
  }

  /** Spend or budgets changed without a new record of this window (another window, a settings edit). */
  summaryChanged(): void {
    this.post({ type: 'summary-changed' });
  }

  /** Shows one decision; held until the webview is ready when the panel is just opening. */
  revealDecision(id: string): void {
    if (this.ready) this.post({ type: 'reveal-decision', id });
    else this.pendingReveal = id;
  }

  /** The webview reloaded (hidden and shown again): wait for its next `ready`. */
  webviewReset(): void {
    this.ready = false;
  }

  private async answer(message: QueryMessage): Promise<void> {
    try {
      const result = await this.run(message);
      this.post({ type: 'response', requestId: message.requestId, query: message.type, ok: true, result } as HostToWebview);
    } catch (error) {
      this.warn(`dashboard: ${message.type} failed: ${describe(error)}`);
      this.post({ type: 'response', requestId: message.requestId, query: message.type, ok: false, error: describe(error) });
    }
  }

  private async run(message: QueryMessage): Promise<DashboardQueries[DashboardQueryType]['result']> {
    const source = this.source;
    switch (message.type) {
      case 'query-summary':
        return this.summary(message.range);
      case 'query-savings': {
        const baseline = (await source.baselineModels()).find((model) => model.id === message.baselineModel);
        if (baseline === undefined) throw new Error(`No prices are known for ${message.baselineModel}.`);
        const { fromMs, toMs } = this.window(message.range);
        return computeSavings(await source.samples(fromMs ?? -Infinity, toMs), baseline, message.range);
      }
      case 'query-records': {
        const page = await source.search({ ...this.search(message.filters), offset: message.offset, limit: message.limit });
        return { offset: message.offset, total: page.total, rows: page.records.map(convertRecordToRow) };
      }
      case 'query-locate':
        return { index: await this.locate(message.filters, message.id) };
      case 'query-decision': {
        const record = await source.get(message.id);
        return record === undefined ? null : convertRecordToDecision(record);
      }
      case 'query-performance': {
        const { fromMs, toMs } = this.window(message.range);
        const samples = await source.samples(fromMs ?? -Infinity, toMs);
        return computePerformanceReport(samples, { range: message.range, groupBy: message.groupBy, fromMs, toMs });
      }
      case 'query-budgets':
        return source.budgets();
      case 'export':
        return source.exportRecords(message.format, this.search(message.filters ?? { range: 'all' }));
      default: {
        const unreachable: never = message;
        throw new Error(`unknown query ${String(unreachable)}`);
      }
    }
  }

  private async summary(range: DashboardSummary['range']): Promise<DashboardSummary> {
    const source = this.source;
    const now = source.now();
    const { fromMs } = resolveTimeRange(range, now);
    const [budgets, baselines, allTime, byProvider, byModel, bySource, allModels, allProviders] = await Promise.all([
      source.budgets(),
      source.baselineModels(),
      source.aggregate('source'),
      source.aggregate('provider', fromMs),
      source.aggregate('model', fromMs),
      source.aggregate('source', fromMs),
      source.aggregate('model'),
      source.aggregate('provider'),
    ]);
    const periods: PeriodSpend[] = [];
    for (const [period, window] of [
      ['daily', 'today'],
      ['weekly', 'week'],
      ['monthly', 'month'],
    ] as const) {
      const rows = await source.aggregate('source', resolveTimeRange(window, now).fromMs);
      periods.push({
        period,
        spentUsd: sum(rows, (row) => row.chargedUsd),
        requests: sum(rows, (row) => row.requests),
        budgets: budgets.filter((budget) => budget.period === period),
      });
    }
    return {
      generatedAtMs: now,
      range,
      periods,
      totalRequests: sum(allTime, (row) => row.requests),
      byProvider: byProvider.map(toSpendGroup),
      byModel: byModel.map(toSpendGroup),
      bySource: bySource.map(toSpendGroup),
      baselineModels: baselines.map((model) => model.id).sort(),
      facets: {
        models: allModels.map((row) => row.key).filter(Boolean).sort(),
        providers: allProviders.map((row) => row.key).filter(Boolean).sort(),
        sources: allTime.map((row) => row.key).filter(Boolean).sort(),
      },
    };
  }

  /**
   * The index of a record in the filtered log, newest first: the count of strictly newer matches,
   * then a scan of the rows that share its millisecond (the ledger orders ties by arrival).
   */
  private async locate(filters: RecordFilters, id: string): Promise<number | null> {
    const record = await this.source.get(id);
    if (record === undefined) return null;
    const at = Date.parse(record.time);
    const search = this.search(filters);
    if ((search.fromMs !== undefined && at < search.fromMs) || (search.toMs !== undefined && at >= search.toMs)) return null;
    const newer = await this.source.search({ ...search, fromMs: at + 1, limit: 0 });
    const page = await this.source.search({ ...search, offset: newer.total, limit: LOCATE_WINDOW });
    const position = page.records.findIndex((candidate) => candidate.id === id);
    return position === -1 ? null : newer.total + position;
  }

  private window(range: DashboardSummary['range']): { fromMs: number | undefined; toMs: number } {
    const now = this.source.now();
    const { fromMs, toMs } = resolveTimeRange(range, now);
    return { fromMs, toMs: toMs ?? now + 1 };
  }

  private search(filters: RecordFilters): DashboardSearch {
    const { fromMs, toMs } = resolveTimeRange(filters.range, this.source.now());
    const search: DashboardSearch = {};
    if (fromMs !== undefined) search.fromMs = fromMs;
    if (toMs !== undefined) search.toMs = toMs;
    if (filters.model !== undefined) search.model = filters.model;
    if (filters.provider !== undefined) search.provider = filters.provider;
    if (filters.source !== undefined) search.source = filters.source;
    if (filters.outcome !== undefined) search.outcome = filters.outcome;
    const text = filters.text?.trim();
    if (text) search.text = text;
    return search;
  }

  private warn(message: string): void {
    this.options.warn?.(message);
  }
}

function toSpendGroup(row: DashboardAggregateRow): SpendGroup {
  return {
    key: row.key,
    requests: row.requests,
    chargedUsd: row.chargedUsd,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    reasoningTokens: row.reasoningTokens,
  };
}

function sum<T>(rows: readonly T[], read: (row: T) => number): number {
  let total = 0;
  for (const row of rows) total += read(row);
  return total;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
