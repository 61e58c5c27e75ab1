/**
 * The only language the dashboard webview and the extension host share. Both sides import
 * these types; nothing else crosses the boundary.
 *
 * Queries are request/response: the webview sends `{ type: 'query-…', requestId, …params }` and
 * the host answers once with `{ type: 'response', requestId, query, ok, result | error }`.
 * Pushes (`record-added`, `summary-changed`, `reveal-decision`) arrive unasked. The decision log
 * is never shipped whole: the webview asks for the page of rows it is about to show.
 */

/** VS Code's theme kind. The webview styles itself from the `vscode-*` body classes; this is informative. */
export type DashboardTheme = 'light' | 'dark' | 'high-contrast';

/** Where a request came from (the ledger's `source.kind`). */
export type RequestSourceKind = 'chat' | 'model-picker' | 'code-action' | 'endpoint';

/** How a request ended (the ledger's `outcome`). */
export type RequestOutcome = 'ok' | 'error' | 'partial' | 'cancelled' | 'blocked';

export const REQUEST_OUTCOMES: readonly RequestOutcome[] = ['ok', 'error', 'partial', 'cancelled', 'blocked'];

/**
 * A span of time the host resolves with its own clock, in local time as budgets are: `today`
 * from local midnight, `week` from Monday, `month` from the 1st; `hour`, `7d`, `30d` rolling.
 */
export type TimeRange = 'hour' | 'today' | 'week' | 'month' | '7d' | '30d' | 'all';

export const TIME_RANGES: readonly TimeRange[] = ['hour', 'today', '7d', 'week', '30d', 'month', 'all'];

/** Decision-log filters; every field narrows, absent fields do not. */
export interface RecordFilters {
  range: TimeRange;
  /** Served model (or requested, when nothing served). */
  model?: string;
  provider?: string;
  /** A source kind (`endpoint`) or kind and detail (`endpoint:aider`). */
  source?: string;
  outcome?: RequestOutcome;
  /** Case-insensitive text anywhere in the record, the decision included. */
  text?: string;
}

/** One decision-log row: what the table shows, nothing more. */
export interface RecordRow {
  id: string;
  /** ISO 8601. */
  time: string;
  source: { kind: RequestSourceKind; detail?: string };
  requestedModel: string;
  servedModel?: string;
  provider?: string;
  inputTokens?: number;
  outputTokens?: number;
  chargedUsd: number;
  latencyMs: number;
  ttftMs?: number;
  outcome: RequestOutcome;
  errorKind?: string;
}

/** A page of the filtered decision log, newest first. */
export interface RecordsPage {
  offset: number;
  /** Rows matching the filters in all; the table's height. */
  total: number;
  rows: RecordRow[];
}

/** One endpoint the route plan would try, in order. */
export interface PlanTargetView {
  modelId: string;
  provider: string;
  estimatedCostUsd: number | null;
  why: string;
}

/** A candidate the router excluded, and why. */
export interface RejectedCandidateView {
  modelId: string;
  provider: string;
  /** A reason code (`context-length`, `zdr-required`, …). */
  reason: string;
  /** The values behind it: "needs 140,000 tokens, window is 128,000". */
  detail: string;
}

/** One upstream call the executor made while walking the plan. */
export interface AttemptView {
  modelId: string;
  provider: string;
  outcome: string;
  error?: { kind: string; message: string };
  latencyMs?: number;
  ttftMs?: number;
}

/** Everything the ledger knows about one request, laid out for reading. */
export interface DecisionDetail {
  row: RecordRow;
  strategy?: string;
  upstreamProvider?: string;
  upstreamId?: string;
  keyId?: string;
  error?: { kind: string; message: string };
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
  /** The route plan, when the decision record holds one. */
  plan: {
    kind?: string;
    strategy?: string;
    explanation?: string;
    targets: PlanTargetView[];
    rejected: RejectedCandidateView[];
    estimates?: { promptTokens: number; outputTokens: number };
  } | null;
  attempts: AttemptView[];
  /** The decision record as stored, pretty-printed, when it could not be read as a plan. */
  rawDecision?: string;
}

/** Spend and tokens of one group (a day, a model, a provider, a source). */
export interface SpendGroup {
  key: string;
  requests: number;
  chargedUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
}

/** A budget (one guardrail's limit over one period) and where it stands now. */
export interface BudgetGauge {
  id: string;
  /** Whose budget: `Global`, `Workspace`, `App aider`. */
  scope: string;
  /** `Daily`, `Weekly`, `Monthly`, `Rolling 5-hour`. */
  periodLabel: string;
  period: 'daily' | 'weekly' | 'monthly' | 'rolling';
  limitUsd: number;
  spentUsd: number;
  /** Percent of the limit from which Perpetuo warns. */
  warnAtPercent: number;
  /** When a calendar period resets (ms since epoch); absent for rolling windows. */
  resetsAtMs?: number;
  /** The settings search that shows where this budget is edited. */
  settingsQuery: string;
}

/** Spend of one calendar period, and the budgets of that period. */
export interface PeriodSpend {
  period: 'daily' | 'weekly' | 'monthly';
  spentUsd: number;
  requests: number;
  budgets: BudgetGauge[];
}

/** The overview: period spend against budgets, breakdowns over a range, filter choices. */
export interface DashboardSummary {
  generatedAtMs: number;
  range: TimeRange;
  periods: PeriodSpend[];
  /** Requests ever logged; 0 means the empty state. */
  totalRequests: number;
  byProvider: SpendGroup[];
  byModel: SpendGroup[];
  bySource: SpendGroup[];
  /** Models a savings baseline can be computed against (they have prices). */
  baselineModels: string[];
  /** Every value the decision-log filters can take, all time. */
  facets: { models: string[]; providers: string[]; sources: string[] };
}

/** What routing saved against sending every request of a range to one model. */
export interface SavingsReport {
  baselineModel: string;
  range: TimeRange;
  actualUsd: number;
  /** What the requests that could be priced would have cost on the baseline. */
  baselineUsd: number;
  /** `baselineUsd − actualUsd` over the priced requests; negative when routing cost more. */
  savedUsd: number;
  pricedRequests: number;
  /** Requests left out: no token counts. */
  unpricedRequests: number;
}

/** p50 / p90 / p99 of one measure; null when no request had it. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  count: number;
}

/** One time bucket of one series. Null: no sample in the bucket. */
export interface PerformanceBucket {
  startMs: number;
  requests: number;
  errors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  ttftP50Ms: number | null;
  tokensPerSecondP50: number | null;
}

/** One provider's or model's performance over the range. */
export interface PerformanceSeries {
  key: string;
  requests: number;
  /** `error` and `partial` outcomes; blocked and cancelled requests count as neither. */
  errors: number;
  errorRate: number;
  latencyMs: Percentiles | null;
  ttftMs: Percentiles | null;
  /** Output tokens per second after the first token. */
  tokensPerSecond: Percentiles | null;
  buckets: PerformanceBucket[];
}

export interface PerformanceReport {
  range: TimeRange;
  groupBy: 'provider' | 'model';
  bucketMs: number;
  /** Start of every bucket, shared by all series (the charts' x axis). */
  bucketStarts: number[];
  series: PerformanceSeries[];
}

export interface ExportResult {
  /** False when the user cancelled the save dialog. */
  saved: boolean;
  /** Where the file went, for the message. */
  location?: string;
  records?: number;
}

/** Every query: its parameters and its result. */
export interface DashboardQueries {
  'query-summary': { params: { range: TimeRange }; result: DashboardSummary };
  'query-savings': { params: { range: TimeRange; baselineModel: string }; result: SavingsReport };
  'query-records': { params: { filters: RecordFilters; offset: number; limit: number }; result: RecordsPage };
  /** Where a decision sits in the filtered log (null: it does not match the filters). */
  'query-locate': { params: { filters: RecordFilters; id: string }; result: { index: number | null } };
  'query-decision': { params: { id: string }; result: DecisionDetail | null };
  'query-performance': { params: { range: TimeRange; groupBy: 'provider' | 'model' }; result: PerformanceReport };
  'query-budgets': { params: Record<string, never>; result: BudgetGauge[] };
  export: { params: { format: 'csv' | 'json'; filters?: RecordFilters }; result: ExportResult };
}

export type DashboardQueryType = keyof DashboardQueries;

/** The most rows one `query-records` may ask for; the host refuses more. */
export const MAX_PAGE_SIZE = 500;

/** A query as sent by the webview. */
export type QueryMessage<K extends DashboardQueryType = DashboardQueryType> = {
  [Q in K]: { type: Q; requestId: number } & DashboardQueries[Q]['params'];
}[K];

/** The host's answer to one query. */
export type QueryResponse<K extends DashboardQueryType = DashboardQueryType> =
  | { [Q in K]: { type: 'response'; requestId: number; query: Q; ok: true; result: DashboardQueries[Q]['result'] } }[K]
  | { type: 'response'; requestId: number; query: K; ok: false; error: string };

export type WebviewToHost =
  | { type: 'ready' }
  /** Opens VS Code's settings filtered by `query` (e.g. `perpetuo.budget`). */
  | { type: 'open-settings'; query: string }
  | QueryMessage;

export type HostToWebview =
  | { type: 'init'; version: string; theme: DashboardTheme }
  | QueryResponse
  /** A request finished and was logged: the log and the totals changed. */
  | { type: 'record-added'; row: RecordRow }
  /** Spend or budgets changed (another window, a settings edit): queried views refresh. */
  | { type: 'summary-changed' }
  /** Show this decision: the log scrolled to it, its detail open. */
  | { type: 'reveal-decision'; id: string };

const QUERY_TYPES: ReadonlySet<string> = new Set<DashboardQueryType>([
  'query-summary',
  'query-savings',
  'query-records',
  'query-locate',
  'query-decision',
  'query-performance',
  'query-budgets',
  'export',
]);

/** Whether a message type names a query (so a malformed one can still be answered with an error). */
export function isQueryType(type: unknown): type is DashboardQueryType {
  return typeof type === 'string' && QUERY_TYPES.has(type);
}

/**
 * Checks a message from the webview field by field. The webview is ours, but its messages cross
 * a process boundary and a stale or tampered page must not reach the ledger with odd values.
 */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'open-settings':
      return typeof value.query === 'string';
    case 'query-summary':
      return isRequestId(value.requestId) && isTimeRange(value.range);
    case 'query-savings':
      return isRequestId(value.requestId) && isTimeRange(value.range) && isText(value.baselineModel);
    case 'query-records':
      return (
        isRequestId(value.requestId) &&
        isRecordFilters(value.filters) &&
        isCount(value.offset) &&
        isCount(value.limit) &&
        value.limit <= MAX_PAGE_SIZE
      );
    case 'query-locate':
      return isRequestId(value.requestId) && isRecordFilters(value.filters) && isText(value.id);
    case 'query-decision':
      return isRequestId(value.requestId) && isText(value.id);
    case 'query-performance':
      return isRequestId(value.requestId) && isTimeRange(value.range) && (value.groupBy === 'provider' || value.groupBy === 'model');
    case 'query-budgets':
      return isRequestId(value.requestId);
    case 'export':
      return isRequestId(value.requestId) && (value.format === 'csv' || value.format === 'json') && (value.filters === undefined || isRecordFilters(value.filters));
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Ids and model names: non-empty and short, since they end up in lookups and messages. */
function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 500;
}

function isOptionalText(value: unknown): boolean {
  return value === undefined || isText(value);
}

function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === 'string' && (TIME_RANGES as readonly string[]).includes(value);
}

function isRecordFilters(value: unknown): value is RecordFilters {
  return (
    isObject(value) &&
    isTimeRange(value.range) &&
    isOptionalText(value.model) &&
    isOptionalText(value.provider) &&
    isOptionalText(value.source) &&
    (value.outcome === undefined || (typeof value.outcome === 'string' && (REQUEST_OUTCOMES as readonly string[]).includes(value.outcome))) &&
    (value.text === undefined || (typeof value.text === 'string' && value.text.length <= 500))
  );
}
