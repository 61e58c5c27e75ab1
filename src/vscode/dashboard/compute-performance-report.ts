import type { PerformanceBucket, PerformanceReport, PerformanceSeries, TimeRange } from '../../shared/webview-protocol';
import type { RequestSample } from './dashboard-data-source';
import { computePercentiles, nearestRank } from './compute-percentiles';

const MINUTE_MS = 60_000;
/** Bucket widths a chart reads easily; the smallest giving at most MAX_BUCKETS over the span is used. */
const BUCKET_WIDTHS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10_080].map((minutes) => minutes * MINUTE_MS);
const MAX_BUCKETS = 60;

interface SeriesAccumulator {
  requests: number;
  errors: number;
  latency: number[];
  ttft: number[];
  throughput: number[];
  buckets: Map<number, { requests: number; errors: number; latency: number[]; ttft: number[]; throughput: number[] }>;
}

/**
 * Per provider or model: latency, TTFT and throughput percentiles over the range and per time
 * bucket, and error rates. Blocked requests never reached a provider and cancelled ones were
 * stopped by the user, so neither counts as a request of the provider here; `error` and
 * `partial` count as errors. Throughput is output tokens over the time after the first token,
 * because TTFT (queueing, prompt processing) is measured apart.
 */
export function computePerformanceReport(
  samples: Iterable<RequestSample>,
  options: { range: TimeRange; groupBy: 'provider' | 'model'; fromMs: number | undefined; toMs: number },
): PerformanceReport {
  const series = new Map<string, SeriesAccumulator>();
  const kept: RequestSample[] = [];
  let earliest = Infinity;
  for (const sample of samples) {
    if (sample.outcome === 'blocked' || sample.outcome === 'cancelled') continue;
    kept.push(sample);
    earliest = Math.min(earliest, sample.atMs);
  }
  const fromMs = options.fromMs ?? (Number.isFinite(earliest) ? earliest : options.toMs);
  const span = Math.max(MINUTE_MS, options.toMs - fromMs);
  const bucketMs = BUCKET_WIDTHS.find((width) => span / width <= MAX_BUCKETS) ?? BUCKET_WIDTHS[BUCKET_WIDTHS.length - 1] ?? MINUTE_MS;
  const firstBucket = Math.floor(fromMs / bucketMs) * bucketMs;
  for (const sample of kept) {
    const key = (options.groupBy === 'provider' ? sample.provider : sample.model) || '(none)';
    let acc = series.get(key);
    if (acc === undefined) {
      acc = { requests: 0, errors: 0, latency: [], ttft: [], throughput: [], buckets: new Map() };
      series.set(key, acc);
    }
    const bucketStart = firstBucket + Math.floor((sample.atMs - firstBucket) / bucketMs) * bucketMs;
    let bucket = acc.buckets.get(bucketStart);
    if (bucket === undefined) {
      bucket = { requests: 0, errors: 0, latency: [], ttft: [], throughput: [] };
      acc.buckets.set(bucketStart, bucket);
    }
    const isError = sample.outcome === 'error' || sample.outcome === 'partial';
    acc.requests += 1;
    bucket.requests += 1;
    if (isError) {
      acc.errors += 1;
      bucket.errors += 1;
    }
    // A failed request's latency is how long the failure took, not how fast the model answers.
    if (isError) continue;
    acc.latency.push(sample.latencyMs);
    bucket.latency.push(sample.latencyMs);
    if (sample.ttftMs !== undefined) {
      acc.ttft.push(sample.ttftMs);
      bucket.ttft.push(sample.ttftMs);
      const generationMs = sample.latencyMs - sample.ttftMs;
      if (sample.outputTokens !== undefined && sample.outputTokens > 0 && generationMs > 0) {
        const rate = sample.outputTokens / (generationMs / 1000);
        acc.throughput.push(rate);
        bucket.throughput.push(rate);
      }
    }
  }
  const lastBucket = Math.floor((options.toMs - 1 - firstBucket) / bucketMs) * bucketMs + firstBucket;
  const bucketStarts: number[] = [];
  for (let start = firstBucket; start <= lastBucket; start += bucketMs) bucketStarts.push(start);
  const out: PerformanceSeries[] = [...series.entries()].map(([key, acc]) => ({
    key,
    requests: acc.requests,
    errors: acc.errors,
    errorRate: acc.requests === 0 ? 0 : acc.errors / acc.requests,
    latencyMs: computePercentiles(acc.latency),
    ttftMs: computePercentiles(acc.ttft),
    tokensPerSecond: computePercentiles(acc.throughput),
    buckets: bucketStarts.map((startMs): PerformanceBucket => {
      const bucket = acc.buckets.get(startMs);
      if (bucket === undefined) {
        return { startMs, requests: 0, errors: 0, latencyP50Ms: null, latencyP95Ms: null, ttftP50Ms: null, tokensPerSecondP50: null };
      }
      const latency = bucket.latency.sort((a, b) => a - b);
      const ttft = bucket.ttft.sort((a, b) => a - b);
      const throughput = bucket.throughput.sort((a, b) => a - b);
      return {
        startMs,
        requests: bucket.requests,
        errors: bucket.errors,
        latencyP50Ms: latency.length === 0 ? null : nearestRank(latency, 50),
        latencyP95Ms: latency.length === 0 ? null : nearestRank(latency, 95),
        ttftP50Ms: ttft.length === 0 ? null : nearestRank(ttft, 50),
        tokensPerSecondP50: throughput.length === 0 ? null : nearestRank(throughput, 50),
      };
    }),
  }));
  out.sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key));
  return { range: options.range, groupBy: options.groupBy, bucketMs, bucketStarts, series: out };
}
