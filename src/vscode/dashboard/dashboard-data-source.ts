import type { BudgetGauge, ExportResult } from '../../shared/webview-protocol';

type MaybePromise<T> = T | Promise<T>;

/**
 * The ledger fields the dashboard reads. A structural subset of the ledger's `LedgerRecord`
 * (src/core/ledger/ledger-record.ts), so the ledger's records pass as they are; the unit tests
 * check that they still do.
 */
export interface DashboardLedgerRecord {
  id: string;
  time: string;
  source: { kind: 'chat' | 'model-picker' | 'code-action' | 'endpoint'; detail?: string };
  requested: { model: string; strategy?: string };
  served: { model?: string; provider?: string; upstreamProvider?: string; upstreamId?: string };
  tokens: {
    input: { total?: number; noCache?: number; cacheRead?: number; cacheWrite?: number };
    output: { total?: number; text?: number; reasoning?: number };
  };
  cost: {
    reportedUsd?: number;
    estimatedUsd?: number;
    computedUsd?: number;
    chargedUsd: number;
    basis?: string;
    unknownPriceFields?: string[];
  };
  latencyMs: number;
  ttftMs?: number;
  outcome: 'ok' | 'error' | 'partial' | 'cancelled' | 'blocked';
  error?: { kind: string; message: string };
  /** The router's decision record as stored: a route plan, or `{ plan, attempts }`. Read leniently. */
  decision?: unknown;
  keyId?: string;
}

/** Spend and tokens of one group; the ledger's `LedgerAggregateRow` has these fields and more. */
export interface DashboardAggregateRow {
  key: string;
  requests: number;
  chargedUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
}

/** The ledger's filter and paging, as `Ledger.search` takes them (times already resolved). */
export interface DashboardSearch {
  fromMs?: number;
  toMs?: number;
  model?: string;
  provider?: string;
  source?: string;
  outcome?: DashboardLedgerRecord['outcome'];
  text?: string;
  offset?: number;
  limit?: number;
}

/** The numbers of one request that performance and savings are computed from. */
export interface RequestSample {
  atMs: number;
  /** Served model, or requested when nothing served. */
  model: string;
  provider: string;
  outcome: DashboardLedgerRecord['outcome'];
  latencyMs: number;
  ttftMs?: number;
  chargedUsd: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** A model a savings baseline can use, with its list prices in USD per million tokens. */
export interface BaselineModel {
  id: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  /** Absent: cache reads are priced as input. */
  cacheReadUsdPerMillion?: number;
  /** Absent: cache writes are priced as input. */
  cacheWriteUsdPerMillion?: number;
}

/**
 * What the dashboard needs from the extension: the ledger's queries, the budgets, catalog
 * prices, and the two actions that need VS Code (a save dialog, the settings editor). The
 * controller stays free of `vscode`; the extension implements this over the real ledger.
 * Every method may answer synchronously or with a promise; a throw becomes an error state with
 * a retry button in the webview.
 */
export interface DashboardDataSource {
  /** The clock time ranges are resolved with. */
  now(): number;
  /** `Ledger.aggregate`: groups over [fromMs, toMs), largest spend first, days in date order. */
  aggregate(groupBy: 'day' | 'model' | 'provider' | 'source', fromMs?: number, toMs?: number): MaybePromise<DashboardAggregateRow[]>;
  /** `Ledger.search`: newest first; `total` counts every match, `records` holds one page. */
  search(query: DashboardSearch): MaybePromise<{ total: number; records: DashboardLedgerRecord[] }>;
  /** `Ledger.get`. */
  get(id: string): MaybePromise<DashboardLedgerRecord | undefined>;
  /** Every request in [fromMs, toMs), in any order. */
  samples(fromMs: number, toMs: number): MaybePromise<Iterable<RequestSample>>;
  /** Every budget in force, with its spend in the current period. */
  budgets(): MaybePromise<BudgetGauge[]>;
  /** Priced models the user may pick as a savings baseline. */
  baselineModels(): MaybePromise<BaselineModel[]>;
  /** Asks where to save (a dialog), writes the filtered ledger there. */
  exportRecords(format: 'csv' | 'json', filters: DashboardSearch): MaybePromise<ExportResult>;
  /** Opens VS Code's settings filtered by `query`. */
  openSettings(query: string): MaybePromise<void>;
}

