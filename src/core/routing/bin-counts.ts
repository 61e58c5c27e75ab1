import { LogHistogram } from './log-histogram';

/**
 * Counts by {@link LogHistogram} bin, kept in bin order in two small typed arrays, for a running
 * total that calls add to and slots leaving the window subtract from. Reading percentiles is
 * then one scan of a few cache lines: merging a window's slot histograms would touch every slot's
 * map, and sort the bins, after every call.
 */
export class BinCounts {
  private bins = new Int32Array(8);
  private counts = new Float64Array(8);
  private length = 0;
  private total = 0;

  /** Adds `count` values (negative: removes them) to `bin`; a bin left at zero stays, and reads as empty. */
  add(bin: number, count: number): void {
    this.total += count;
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.bins[middle] ?? 0) < bin) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low < this.length && this.bins[low] === bin) {
      this.counts[low] = (this.counts[low] ?? 0) + count;
      return;
    }
    if (this.length === this.bins.length) {
      this.grow();
    }
    this.bins.copyWithin(low + 1, low, this.length);
    this.counts.copyWithin(low + 1, low, this.length);
    this.bins[low] = bin;
    this.counts[low] = count;
    this.length++;
  }

  /** Adds every value of `histogram` (`sign` -1: removes them). */
  addHistogram(histogram: LogHistogram, sign: 1 | -1): void {
    histogram.forEachBin((bin, count) => this.add(bin, sign * count));
  }

  /** What `LogHistogram.percentiles` reads of a histogram holding these counts; empty when there are none. */
  percentiles(ascending: readonly number[]): number[] {
    const values: number[] = [];
    if (this.total === 0) {
      return values;
    }
    let seen = 0;
    let next = 0;
    for (let at = 0; at < this.length && next < ascending.length; at++) {
      // A bin emptied by a subtraction adds nothing to `seen`, so it can satisfy no fraction the bin before it did not.
      seen += this.counts[at] ?? 0;
      while (next < ascending.length && seen >= Math.max(1, Math.ceil((ascending[next] ?? 0) * this.total))) {
        values.push(LogHistogram.valueOfBin(this.bins[at] ?? 0));
        next++;
      }
    }
    return values;
  }

  private grow(): void {
    const bins = new Int32Array(this.bins.length * 2);
    const counts = new Float64Array(this.counts.length * 2);
    bins.set(this.bins);
    counts.set(this.counts);
    this.bins = bins;
    this.counts = counts;
  }
}
