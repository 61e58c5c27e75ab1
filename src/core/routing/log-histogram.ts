/**
 * Bins grow by 10%, so a percentile read back is within ±5% of the true sample; values from 0.01
 * to 10^9 fit in about 300 bins, which bounds the memory of a histogram whatever the traffic.
 */
const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
const MIN_VALUE = 0.01;
const MAX_BIN = 320;

/** The value each bin reads back as, computed once: the same expression, so the same doubles. */
const BIN_VALUES = Float64Array.from({ length: MAX_BIN + 1 }, (_, bin) => binValue(bin));

/** The geometric middle of the bin: halfway, in ratio terms, between its edges. */
function binValue(bin: number): number {
  return MIN_VALUE * GROWTH ** (bin + 0.5);
}

/**
 * A sparse log-scale histogram: bounded memory, mergeable across time slots, serialisable.
 * Used for TTFT, latency and throughput percentiles.
 */
export class LogHistogram {
  private readonly bins = new Map<number, number>();
  private total = 0;

  /** Number of values recorded. */
  get count(): number {
    return this.total;
  }

  record(value: number, times = 1): void {
    const bin = LogHistogram.binOf(value);
    if (bin < 0 || times <= 0) {
      return;
    }
    this.bins.set(bin, (this.bins.get(bin) ?? 0) + times);
    this.total += times;
  }

  /** Adds every value of `other` to this histogram. */
  merge(other: LogHistogram): void {
    for (const [bin, count] of other.bins) {
      this.bins.set(bin, (this.bins.get(bin) ?? 0) + count);
    }
    this.total += other.total;
  }

  /** The value below which a fraction `q` (0…1) of the samples fall; undefined when empty. */
  percentile(q: number): number | undefined {
    if (this.total === 0) {
      return undefined;
    }
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (const bin of [...this.bins.keys()].sort((a, b) => a - b)) {
      seen += this.bins.get(bin) ?? 0;
      if (seen >= rank) {
        return binValue(bin);
      }
    }
    return undefined;
  }

  /**
   * {@link percentile} of each fraction of `ascending` (sorted, smallest first), in one pass over
   * the sorted bins rather than one sort per fraction; empty when the histogram is.
   */
  percentiles(ascending: readonly number[]): number[] {
    if (this.total === 0) {
      return [];
    }
    const values: number[] = [];
    let seen = 0;
    let next = 0;
    for (const bin of [...this.bins.keys()].sort((a, b) => a - b)) {
      seen += this.bins.get(bin) ?? 0;
      while (next < ascending.length && seen >= Math.max(1, Math.ceil((ascending[next] ?? 0) * this.total))) {
        values.push(binValue(bin));
        next++;
      }
    }
    return values;
  }

  /** Calls `callback` with each bin holding values and its count, in no particular order. */
  forEachBin(callback: (bin: number, count: number) => void): void {
    this.bins.forEach((count, bin) => callback(bin, count));
  }

  /** The bin `record` puts a value in; -1 for a value it ignores (not finite, negative). */
  static binOf(value: number): number {
    if (!Number.isFinite(value) || value < 0) {
      return -1;
    }
    return Math.min(MAX_BIN, Math.max(0, Math.floor(Math.log(Math.max(value, MIN_VALUE) / MIN_VALUE) / LOG_GROWTH)));
  }

  /** The value a percentile falling in `bin` reads back as. */
  static valueOfBin(bin: number): number {
    return BIN_VALUES[bin] ?? binValue(bin);
  }

  /** `[bin, count]` pairs, for persistence. */
  toJSON(): Array<[number, number]> {
    return [...this.bins.entries()];
  }

  static fromJSON(pairs: ReadonlyArray<readonly [number, number]>): LogHistogram {
    const histogram = new LogHistogram();
    for (const [bin, count] of pairs) {
      if (Number.isInteger(bin) && bin >= 0 && bin <= MAX_BIN && Number.isInteger(count) && count > 0) {
        histogram.bins.set(bin, (histogram.bins.get(bin) ?? 0) + count);
        histogram.total += count;
      }
    }
    return histogram;
  }
}
