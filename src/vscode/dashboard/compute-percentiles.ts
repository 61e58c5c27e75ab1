import type { Percentiles } from '../../shared/webview-protocol';

/**
 * p50 / p90 / p99 by nearest rank (the smallest value with at least p % of values at or below
 * it), so every percentile is a latency that really happened rather than an interpolation.
 * Sorts `values` in place.
 */
export function computePercentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return { p50: nearestRank(values, 50), p90: nearestRank(values, 90), p99: nearestRank(values, 99), count: values.length };
}

/** The nearest-rank percentile of sorted values. */
export function nearestRank(sorted: readonly number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}
