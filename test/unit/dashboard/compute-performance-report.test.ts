import assert from 'node:assert/strict';
import { computePercentiles } from '../../../src/vscode/dashboard/compute-percentiles';
import { computePerformanceReport } from '../../../src/vscode/dashboard/compute-performance-report';
import { computeSavings } from '../../../src/vscode/dashboard/compute-savings';
import type { RequestSample } from '../../../src/vscode/dashboard/dashboard-data-source';

const HOUR = 3_600_000;
const base = Date.UTC(2026, 2, 18, 0, 0, 0);
const sample = (over: Partial<RequestSample>): RequestSample => ({ atMs: base, model: 'm', provider: 'p', outcome: 'ok', latencyMs: 1000, chargedUsd: 0, ...over });

describe('dashboard performance and savings', () => {
  it('takes nearest-rank percentiles: values that happened, no interpolation', () => {
    assert.deepEqual(computePercentiles([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]), { p50: 5, p90: 9, p99: 10, count: 10 });
    assert.deepEqual(computePercentiles([42]), { p50: 42, p90: 42, p99: 42, count: 1 });
    assert.equal(computePercentiles([]), null);
  });

  it('groups by provider, leaves blocked and cancelled out, counts errors apart from latency', () => {
    const report = computePerformanceReport(
      [
        sample({ provider: 'a', latencyMs: 1000, ttftMs: 200, outputTokens: 80 }),
        sample({ provider: 'a', latencyMs: 3000, ttftMs: 1000, outputTokens: 100, atMs: base + 2 * HOUR }),
        sample({ provider: 'a', outcome: 'error', latencyMs: 60_000, atMs: base + 2 * HOUR }),
        sample({ provider: 'b', outcome: 'blocked' }),
        sample({ provider: 'b', outcome: 'cancelled' }),
        sample({ provider: 'b', latencyMs: 500 }),
      ],
      { range: 'today', groupBy: 'provider', fromMs: base, toMs: base + 6 * HOUR },
    );
    assert.equal(report.bucketMs, 15 * 60_000); // 6 hours in at most 60 buckets
    assert.equal(report.bucketStarts.length, 24);
    const [a, b] = report.series;
    assert.equal(a?.key, 'a');
    assert.deepEqual([a?.requests, a?.errors], [3, 1]);
    assert.deepEqual(a?.latencyMs, { p50: 1000, p90: 3000, p99: 3000, count: 2 });
    // 80 tokens in 0.8 s after the first token = 100/s; 100 tokens in 2 s = 50/s.
    assert.deepEqual(a?.tokensPerSecond, { p50: 50, p90: 100, p99: 100, count: 2 });
    const busy = a?.buckets.find((bucket) => bucket.startMs === base + 2 * HOUR);
    assert.deepEqual(busy, { startMs: base + 2 * HOUR, requests: 2, errors: 1, latencyP50Ms: 3000, latencyP95Ms: 3000, ttftP50Ms: 1000, tokensPerSecondP50: 50 });
    assert.deepEqual([b?.key, b?.requests, b?.errors, b?.ttftMs], ['b', 1, 0, null]);
  });

  it('prices every request at the baseline, cached input at the cache rate, and leaves uncounted requests out', () => {
    const report = computeSavings(
      [
        sample({ inputTokens: 1_000_000, cacheReadTokens: 400_000, outputTokens: 100_000, chargedUsd: 1 }),
        sample({ chargedUsd: 0.5 }),
        sample({ outcome: 'blocked', inputTokens: 10, chargedUsd: 0 }),
      ],
      { id: 'x/big', inputUsdPerMillion: 3, outputUsdPerMillion: 15, cacheReadUsdPerMillion: 0.3 },
      'month',
    );
    // 600k fresh × $3/M + 400k cached × $0.30/M + 100k out × $15/M = 1.8 + 0.12 + 1.5
    assert.ok(Math.abs(report.baselineUsd - 3.42) < 1e-9);
    assert.equal(report.actualUsd, 1);
    assert.ok(Math.abs(report.savedUsd - 2.42) < 1e-9);
    assert.deepEqual([report.pricedRequests, report.unpricedRequests], [1, 1]);
  });
});
