import type { CatalogIndex, IndexedEndpoint } from './index-catalog';
import type { MetricsSnapshot, Percentiles, WindowStats } from './metrics-snapshot';
import { MapVersion } from './versioned-map';
import type { ProviderSortBy } from './provider-preferences';
import type { RoutingStrategy } from './routing-policy';

/** Below this many calls in a window, our own measurements are too thin to trust over the catalog's. */
export const MIN_LIVE_SAMPLES = 5;

/** Error rate assumed for an endpoint nobody has measured: a measured 99% beats an unknown. */
export const ASSUMED_ERROR_RATE = 0.02;

/** Fills the missing half when only one of TTFT and throughput is known. */
export const ASSUMED_TTFT_MS = 1_000;
export const ASSUMED_THROUGHPUT = 50;

/**
 * Weights of the `balanced` strategy. Each factor is scaled to 0…1 (1 best) on a fixed
 * reference, so that the score of one endpoint never depends on the others in the list:
 * - quality: tier 1 → 1, 2 → 0.75, 3 → 0.5, 4 → 0.25 (no tier → 0.5);
 * - cost: on a log scale, $0.0001 or less → 1, $1 or more → 0, a quarter per factor of ten. With
 *   the weights equal, one quality tier is worth exactly a tenfold price: a model one tier
 *   stronger wins while it costs less than ten times more, whatever the size of the request;
 * - speed: 1 / (1 + seconds / 20), so a 20-second answer scores 0.5;
 * - reliability: 1 − 10 × error rate, floored at 0 (2% errors → 0.8).
 */
export const BALANCED_WEIGHTS = { quality: 0.35, cost: 0.35, speed: 0.15, reliability: 0.15 } as const;
const BALANCED_COST_FLOOR_USD = 0.0001;
const BALANCED_COST_DECADES = 4;
const BALANCED_SPEED_REFERENCE_SECONDS = 20;

/** The performance figures the strategies read, and where they came from. */
export interface EndpointPerformance {
  ttftMs: number | undefined;
  throughput: number | undefined;
  errorRate: number | undefined;
  /** `live 5m`, `live 1h`, `catalog` or `none`. */
  source: string;
}

/**
 * Our own 5-minute window when it has enough calls, else the hour, else the catalog's published
 * stats (precomputed in the index, so an unmeasured endpoint costs one Map lookup and nothing else).
 */
export function resolvePerformance(candidate: IndexedEndpoint, metrics: MetricsSnapshot): EndpointPerformance {
  const live = metrics.endpoints.get(candidate.key);
  const window = live === undefined ? undefined : pickWindow(live.recent, live.hour);
  if (window === undefined) {
    return candidate.catalogPerformance;
  }
  return {
    ttftMs: window.stats.ttftMs?.p50 ?? candidate.catalogPerformance.ttftMs,
    throughput: window.stats.throughput?.p50 ?? candidate.catalogPerformance.throughput,
    errorRate: window.stats.errorRate,
    source: window.name,
  };
}

/**
 * {@link resolvePerformance} of every endpoint of a catalog under one snapshot: the objects by
 * position (for the targets' descriptions), and their figures by row of `CatalogIndex.figures`
 * as typed arrays, NaN when unknown (for ranking two thousand endpoints without loading an
 * object each). One per catalog, brought up to date in place with the snapshot of each plan
 * (see {@link performanceByPosition}): read it within one plan, never keep it across plans.
 */
export interface PerformanceFigures {
  readonly byPosition: EndpointPerformance[];
  /** By row. */
  readonly ttftMs: Float64Array;
  readonly throughput: Float64Array;
  readonly errorRate: Float64Array;
  /** Counts the rows whose figures were set again, so that what is derived from the figures (block bounds) can catch up. */
  revision: number;
  /**
   * The rows of the latest revisions, oldest first: the last entry changed at `revision`. Kept
   * short: a consumer further behind than this log reaches computes its figures again.
   */
  readonly changedRows: number[];
}

/** Revisions {@link PerformanceFigures.changedRows} keeps; a snapshot after a call changes one endpoint's few rows. */
const CHANGED_ROWS_KEPT = 256;

/** The figures of each catalog, and the metrics map they are up to date with. */
const performanceByCatalog = new WeakMap<CatalogIndex, { endpoints: MetricsSnapshot['endpoints']; figures: PerformanceFigures }>();

/**
 * The {@link PerformanceFigures} of a catalog under a snapshot. Only endpoints with live figures
 * are looked up: the rest share their catalog figures. The figures are kept per catalog and
 * brought up to date in place when a plan brings another metrics map: for two versions of
 * LiveMetrics' map, only the endpoints changed between them are looked up again (after a call,
 * one); for unrelated maps, entry by entry (LiveMetrics keeps every other endpoint's statistics
 * object). Updating in place rather than copying keeps a request from allocating and copying
 * four arrays of the whole catalog. Snapshots are read-only: a statistics object edited in place
 * is not seen.
 */
export function performanceByPosition(index: CatalogIndex, metrics: MetricsSnapshot): PerformanceFigures {
  const kept = performanceByCatalog.get(index);
  if (kept === undefined) {
    const figures = computePerformance(index, metrics);
    performanceByCatalog.set(index, { endpoints: metrics.endpoints, figures });
    return figures;
  }
  if (kept.endpoints !== metrics.endpoints) {
    updatePerformance(index, metrics, kept.endpoints, kept.figures);
    kept.endpoints = metrics.endpoints;
  }
  return kept.figures;
}

function computePerformance(index: CatalogIndex, metrics: MetricsSnapshot): PerformanceFigures {
  const byPosition = index.endpoints.map((endpoint) => endpoint.catalogPerformance);
  for (const key of metrics.endpoints.keys()) {
    for (const endpoint of index.byKey.get(key) ?? []) {
      byPosition[endpoint.position] = resolvePerformance(endpoint, metrics);
    }
  }
  const count = byPosition.length;
  const figures: PerformanceFigures = {
    byPosition,
    ttftMs: new Float64Array(count),
    throughput: new Float64Array(count),
    errorRate: new Float64Array(count),
    revision: 0,
    changedRows: [],
  };
  byPosition.forEach((performance, position) => setFigures(figures, index, position, performance));
  return figures;
}

/** Brings `figures` (up to date with `previousEndpoints`) up to date with `metrics`, looking up again the endpoints whose statistics differ. */
function updatePerformance(index: CatalogIndex, metrics: MetricsSnapshot, previousEndpoints: MetricsSnapshot['endpoints'], figures: PerformanceFigures): void {
  const lookUp = (key: string): void => {
    for (const endpoint of index.byKey.get(key) ?? []) {
      const performance = resolvePerformance(endpoint, metrics);
      figures.byPosition[endpoint.position] = performance;
      logChangedRow(figures, setFigures(figures, index, endpoint.position, performance));
    }
  };
  const changed = metrics.endpoints instanceof MapVersion ? metrics.endpoints.changedKeysSince(previousEndpoints) : undefined;
  if (changed !== undefined) {
    for (const key of changed) {
      lookUp(key);
    }
    return;
  }
  for (const [key, stats] of metrics.endpoints) {
    if (previousEndpoints.get(key) !== stats) {
      lookUp(key);
    }
  }
  for (const key of previousEndpoints.keys()) {
    if (!metrics.endpoints.has(key)) {
      lookUp(key);
    }
  }
}

/** Writes an endpoint's figures into its row; returns the row. */
function setFigures(figures: PerformanceFigures, index: CatalogIndex, position: number, performance: EndpointPerformance): number {
  const row = index.figures.rowOf[position] ?? 0;
  figures.ttftMs[row] = performance.ttftMs ?? Number.NaN;
  figures.throughput[row] = performance.throughput ?? Number.NaN;
  figures.errorRate[row] = performance.errorRate ?? Number.NaN;
  return row;
}

function logChangedRow(figures: PerformanceFigures, row: number): void {
  figures.revision++;
  if (figures.changedRows.length >= CHANGED_ROWS_KEPT) {
    figures.changedRows.splice(0, CHANGED_ROWS_KEPT / 2);
  }
  figures.changedRows.push(row);
}

/** One percentile of TTFT (ms) or throughput (tokens/s) for the soft thresholds; the catalog only publishes p50. */
export function readPercentile(
  candidate: IndexedEndpoint,
  metrics: MetricsSnapshot,
  measure: 'ttftMs' | 'throughput',
  percentile: keyof Percentiles,
): number | undefined {
  const live = metrics.endpoints.get(candidate.key);
  const window = pickWindow(live?.recent, live?.hour);
  const fromLive = window?.stats[measure]?.[percentile];
  if (fromLive !== undefined) {
    return fromLive;
  }
  if (percentile !== 'p50') {
    return undefined;
  }
  return measure === 'ttftMs' ? candidate.endpoint.stats?.latencyP50Ms : candidate.endpoint.stats?.throughputP50;
}

function pickWindow(recent: WindowStats | undefined, hour: WindowStats | undefined): { name: string; stats: WindowStats } | undefined {
  if (recent !== undefined && recent.samples >= MIN_LIVE_SAMPLES) {
    return { name: 'live 5m', stats: recent };
  }
  if (hour !== undefined && hour.samples >= MIN_LIVE_SAMPLES) {
    return { name: 'live 1h', stats: hour };
  }
  return undefined;
}

/** Seconds to answer `outputTokens`: TTFT plus generation at the endpoint's throughput; infinite when neither is known. */
export function estimateSeconds(performance: EndpointPerformance, outputTokens: number): number {
  return estimateSecondsOf(performance.ttftMs ?? Number.NaN, performance.throughput ?? Number.NaN, outputTokens);
}

/*
 * The `…Of` and `…Figures` functions below take the figures themselves, NaN for unknown, as a
 * catalog-wide plan reads them from typed arrays: plain doubles stay unboxed through the hot
 * loop, where `number | undefined` would box each one. The object versions delegate to them, so
 * each formula exists once.
 */

/** {@link estimateSeconds} from the figures (NaN: unknown). */
export function estimateSecondsOf(ttftMs: number, throughput: number, outputTokens: number): number {
  if (Number.isNaN(ttftMs) && Number.isNaN(throughput)) {
    return Number.POSITIVE_INFINITY;
  }
  return assumedTtftOf(ttftMs) / 1000 + outputTokens / assumedThroughputOf(throughput);
}

/** The TTFT {@link estimateSecondsOf} reads when one of the two figures is known: an unknown one is assumed. */
export function assumedTtftOf(ttftMs: number): number {
  return Number.isNaN(ttftMs) ? ASSUMED_TTFT_MS : ttftMs;
}

/** The throughput {@link estimateSecondsOf} reads when one of the two figures is known: an unknown (or zero) one is assumed. */
export function assumedThroughputOf(throughput: number): number {
  // NaN > 0 is false: an unknown throughput is assumed too.
  return throughput > 0 ? throughput : ASSUMED_THROUGHPUT;
}

/** An ordering key: lower `score` first, then lower `secondary`. */
export interface RankKey {
  score: number;
  secondary: number;
}

const UNKNOWN = Number.POSITIVE_INFINITY;

/*
 * The two halves of a rank key apart: a catalog-wide plan compares the score of each endpoint
 * with the last kept target's and needs the secondary only on a tie, and two plain numbers
 * returned stay in registers where an object written per endpoint would not.
 */

/** `RankKey.score` under a strategy, from the figures (NaN: unknown). */
export function strategyScoreOf(
  strategy: Exclude<RoutingStrategy, 'priority'>,
  tier: number,
  costUsd: number,
  ttftMs: number,
  throughput: number,
  errorRate: number,
  outputTokens: number,
): number {
  // Ifs rather than a switch: an exhaustive switch still ends in an implicit `return undefined`,
  // and that one path makes the JIT box every score it returns into a heap number.
  if (strategy === 'cheapest') {
    return Number.isNaN(costUsd) ? UNKNOWN : costUsd;
  }
  if (strategy === 'fastest') {
    return estimateSecondsOf(ttftMs, throughput, outputTokens);
  }
  if (strategy === 'reliable') {
    return Number.isNaN(errorRate) ? ASSUMED_ERROR_RATE : errorRate;
  }
  if (strategy === 'quality') {
    return Number.isNaN(tier) ? 5 : tier;
  }
  return -balancedScoreOf(tier, costUsd, ttftMs, throughput, errorRate, outputTokens);
}

/** `RankKey.secondary` under a strategy: the tier for `cheapest`, else the cost. */
export function strategySecondaryOf(strategy: Exclude<RoutingStrategy, 'priority'>, tier: number, costUsd: number): number {
  if (strategy === 'cheapest') {
    return Number.isNaN(tier) ? 5 : tier;
  }
  return Number.isNaN(costUsd) ? UNKNOWN : costUsd;
}

/** The `balanced` score in 0…1 (1 best); see {@link BALANCED_WEIGHTS}. */
export function balancedScore(
  candidate: IndexedEndpoint,
  costUsd: number | undefined,
  performance: EndpointPerformance,
  outputTokens: number,
): number {
  return balancedScoreOf(
    candidate.tier ?? Number.NaN,
    costUsd ?? Number.NaN,
    performance.ttftMs ?? Number.NaN,
    performance.throughput ?? Number.NaN,
    performance.errorRate ?? Number.NaN,
    outputTokens,
  );
}

/** {@link balancedScore} from the figures (NaN: unknown). */
export function balancedScoreOf(tier: number, costUsd: number, ttftMs: number, throughput: number, errorRate: number, outputTokens: number): number {
  const quality = Number.isNaN(tier) ? 0.5 : (5 - tier) / 4;
  const cost =
    Number.isNaN(costUsd)
      ? 0
      : Math.min(1, Math.max(0, 1 - Math.log10(Math.max(costUsd, BALANCED_COST_FLOOR_USD) / BALANCED_COST_FLOOR_USD) / BALANCED_COST_DECADES));
  const seconds = estimateSecondsOf(ttftMs, throughput, outputTokens);
  const speed = Number.isFinite(seconds) ? 1 / (1 + seconds / BALANCED_SPEED_REFERENCE_SECONDS) : 0.5;
  const reliability = Math.max(0, 1 - 10 * (Number.isNaN(errorRate) ? ASSUMED_ERROR_RATE : errorRate));
  return (
    BALANCED_WEIGHTS.quality * quality +
    BALANCED_WEIGHTS.cost * cost +
    BALANCED_WEIGHTS.speed * speed +
    BALANCED_WEIGHTS.reliability * reliability
  );
}

/** The rank key under `provider.sort` (or a variant's implied sort), which replaces the strategy; writes into `out`. */
export function scoreBySort(by: ProviderSortBy, costUsd: number | undefined, performance: EndpointPerformance, out: RankKey): void {
  scoreBySortFigures(by, costUsd ?? Number.NaN, performance.ttftMs ?? Number.NaN, performance.throughput ?? Number.NaN, out);
}

/** {@link scoreBySort} from the figures (NaN: unknown). */
export function scoreBySortFigures(by: ProviderSortBy, costUsd: number, ttftMs: number, throughput: number, out: RankKey): void {
  out.score = sortScoreOf(by, costUsd, ttftMs, throughput);
  out.secondary = sortSecondaryOf(by, costUsd);
}

/** `RankKey.score` under `provider.sort`, from the figures (NaN: unknown). */
export function sortScoreOf(by: ProviderSortBy, costUsd: number, ttftMs: number, throughput: number): number {
  // Ifs rather than a switch, as in strategyScoreOf.
  if (by === 'price') {
    return Number.isNaN(costUsd) ? UNKNOWN : costUsd;
  }
  if (by === 'throughput') {
    return Number.isNaN(throughput) ? UNKNOWN : -throughput;
  }
  return Number.isNaN(ttftMs) ? UNKNOWN : ttftMs;
}

/** `RankKey.secondary` under `provider.sort`: none for `price`, else the cost. */
export function sortSecondaryOf(by: ProviderSortBy, costUsd: number): number {
  if (by === 'price') {
    return 0;
  }
  return Number.isNaN(costUsd) ? UNKNOWN : costUsd;
}
