import assert from 'node:assert/strict';
import { BinCounts } from '../../../src/core/routing/bin-counts';
import { LogHistogram } from '../../../src/core/routing/log-histogram';

const FRACTIONS = [0, 0.01, 0.5, 0.75, 0.9, 0.99, 1];

describe('BinCounts', () => {
  it('reads the percentiles of merged histograms exactly as the merged histogram does', () => {
    const parts = [new LogHistogram(), new LogHistogram(), new LogHistogram()];
    for (let value = 1; value <= 600; value++) parts[value % 3]?.record(value ** 1.7 / 3, value % 5 === 0 ? 3 : 1);
    const merged = new LogHistogram();
    const counts = new BinCounts();
    for (const part of parts) {
      merged.merge(part);
      counts.addHistogram(part, 1);
    }
    assert.deepEqual(counts.percentiles(FRACTIONS), merged.percentiles(FRACTIONS));
  });

  it('reads as if a subtracted histogram had never been added, emptied bins included', () => {
    const kept = new LogHistogram();
    const removed = new LogHistogram();
    for (let value = 1; value <= 300; value++) (value % 2 === 0 ? kept : removed).record(value * 13);
    // Bins only the removed histogram holds, below and above the kept ones.
    removed.record(0.5);
    removed.record(1e7);
    const counts = new BinCounts();
    counts.addHistogram(removed, 1);
    counts.addHistogram(kept, 1);
    counts.addHistogram(removed, -1);
    assert.deepEqual(counts.percentiles(FRACTIONS), kept.percentiles(FRACTIONS));
    counts.addHistogram(kept, -1);
    assert.deepEqual(counts.percentiles(FRACTIONS), [], 'all taken away: empty, as an empty histogram');
  });
});
