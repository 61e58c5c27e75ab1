import type { SavingsReport, TimeRange } from '../../shared/webview-protocol';
import type { BaselineModel, RequestSample } from './dashboard-data-source';

/**
 * What the range would have cost had every request gone to `baseline` at its list price, against
 * what was charged. Only requests with token counts can be priced; the others are counted apart
 * and left out of both sides, so the comparison is like for like. Blocked requests cost nothing
 * either way and are skipped.
 */
export function computeSavings(samples: Iterable<RequestSample>, baseline: BaselineModel, range: TimeRange): SavingsReport {
  let actualUsd = 0;
  let baselineUsd = 0;
  let priced = 0;
  let unpriced = 0;
  for (const sample of samples) {
    if (sample.outcome === 'blocked') continue;
    if (sample.inputTokens === undefined && sample.outputTokens === undefined) {
      unpriced += 1;
      continue;
    }
    const cacheRead = sample.cacheReadTokens ?? 0;
    const cacheWrite = sample.cacheWriteTokens ?? 0;
    // Input totals include cached tokens (the ledger's normalised usage); price those at the cache rates.
    const freshInput = Math.max(0, (sample.inputTokens ?? 0) - cacheRead - cacheWrite);
    baselineUsd +=
      (freshInput * baseline.inputUsdPerMillion +
        cacheRead * (baseline.cacheReadUsdPerMillion ?? baseline.inputUsdPerMillion) +
        cacheWrite * (baseline.cacheWriteUsdPerMillion ?? baseline.inputUsdPerMillion) +
        (sample.outputTokens ?? 0) * baseline.outputUsdPerMillion) /
      1e6;
    actualUsd += sample.chargedUsd;
    priced += 1;
  }
  return { baselineModel: baseline.id, range, actualUsd, baselineUsd, savedUsd: baselineUsd - actualUsd, pricedRequests: priced, unpricedRequests: unpriced };
}
