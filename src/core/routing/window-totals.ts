import { BinCounts } from './bin-counts';
import type { LogHistogram } from './log-histogram';
import type { Percentiles, WindowStats } from './metrics-snapshot';

/** A window as a ring of fixed time slots: old slots are reused, so memory never grows with traffic. */
export interface WindowShape {
  slotMs: number;
  slots: number;
}

/** One time slot of a window's ring: what the calls that finished in it measured. */
export interface Slot {
  start: number;
  calls: number;
  errors: number;
  ttft: LogHistogram;
  latency: LogHistogram;
  throughput: LogHistogram;
}

const PERCENTILE_FRACTIONS = [0.5, 0.75, 0.9, 0.99];

/**
 * The sum of the slots of one endpoint's window that lie in the window at `now`, kept up to date
 * as calls are recorded, so that the statistics after a call cost a scan of these totals, not a
 * merge of every slot of the window (cold memory: the endpoints take turns). Which slots lie in
 * the window changes only when `now` enters another slot (see `slotEpoch` in LiveMetrics): the
 * totals serve every `now` of the same slot, and are summed again from the ring after that.
 */
export class WindowTotals {
  private samples = 0;
  private errors = 0;
  private readonly ttft = new BinCounts();
  private readonly latency = new BinCounts();
  private readonly throughput = new BinCounts();

  private constructor(
    /** The slot of `now` the totals are for (LiveMetrics' epoch). */
    readonly epoch: number,
    private readonly shape: WindowShape,
    private readonly now: number,
  ) {}

  /** The totals of the slots of `ring` in the window at `now`. */
  static of(ring: ReadonlyArray<Slot | undefined>, shape: WindowShape, now: number, epoch: number): WindowTotals {
    const totals = new WindowTotals(epoch, shape, now);
    for (const slot of ring) {
      if (slot !== undefined) {
        totals.addSlot(slot, 1);
      }
    }
    return totals;
  }

  /** Whether a slot starting at `start` lies in the window: its end is after the window's start, and it has begun. */
  covers(start: number): boolean {
    return start + this.shape.slotMs > this.now - this.shape.slotMs * this.shape.slots && start <= this.now;
  }

  /** Adds a slot of the ring (`sign` -1: takes away one the ring is about to reuse), when it lies in the window. */
  addSlot(slot: Slot, sign: 1 | -1): void {
    if (!this.covers(slot.start)) {
      return;
    }
    this.samples += sign * slot.calls;
    this.errors += sign * slot.errors;
    this.ttft.addHistogram(slot.ttft, sign);
    this.latency.addHistogram(slot.latency, sign);
    this.throughput.addHistogram(slot.throughput, sign);
  }

  /** Adds one call, recorded in the slot starting at `start`, with the histogram bins its figures went to (-1: none). */
  addCall(start: number, ok: boolean, ttftBin: number, latencyBin: number, throughputBin: number): void {
    if (!this.covers(start)) {
      return;
    }
    this.samples++;
    if (!ok) {
      this.errors++;
      return;
    }
    if (ttftBin >= 0) this.ttft.add(ttftBin, 1);
    if (latencyBin >= 0) this.latency.add(latencyBin, 1);
    if (throughputBin >= 0) this.throughput.add(throughputBin, 1);
  }

  get sampleCount(): number {
    return this.samples;
  }

  stats(): WindowStats {
    const { samples, errors } = this;
    const stats: WindowStats = { samples, errors, errorRate: samples === 0 ? 0 : errors / samples };
    const ttftPercentiles = percentilesOf(this.ttft);
    const latencyPercentiles = percentilesOf(this.latency);
    const throughputPercentiles = percentilesOf(this.throughput);
    if (ttftPercentiles) stats.ttftMs = ttftPercentiles;
    if (latencyPercentiles) stats.latencyMs = latencyPercentiles;
    if (throughputPercentiles) stats.throughput = throughputPercentiles;
    return stats;
  }
}

function percentilesOf(counts: BinCounts): Percentiles | undefined {
  const [p50, p75, p90, p99] = counts.percentiles(PERCENTILE_FRACTIONS);
  if (p50 === undefined || p75 === undefined || p90 === undefined || p99 === undefined) {
    return undefined;
  }
  return { p50, p75, p90, p99 };
}
