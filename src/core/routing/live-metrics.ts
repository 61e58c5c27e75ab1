import { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import { LogHistogram } from './log-histogram';
import type { CallSample, MetricsRecorder } from './metrics-recorder';
import type { EndpointLiveStats, MetricsSnapshot } from './metrics-snapshot';
import { VersionedMap } from './versioned-map';
import { WindowTotals, type Slot, type WindowShape } from './window-totals';

/** 5 minutes in 10 slots of 30 s (OpenRouter's soft thresholds use a rolling 5-minute window). */
const RECENT: WindowShape = { slotMs: 30_000, slots: 10 };
/** 1 hour in 12 slots of 5 minutes. */
const HOUR: WindowShape = { slotMs: 300_000, slots: 12 };

/** Endpoints kept by default; the least recently used beyond this are forgotten. */
export const DEFAULT_MAX_ENDPOINTS = 500;

interface EndpointRings {
  recent: Array<Slot | undefined>;
  hour: Array<Slot | undefined>;
  lastUsed: number;
  /** The sums of each window's slots for the epoch they name; calls add to them as they are recorded. */
  recentTotals?: WindowTotals;
  hourTotals?: WindowTotals;
}

/** Options of {@link LiveMetrics}. */
export interface LiveMetricsOptions {
  /** Epoch milliseconds; injected so tests can move time. */
  clock: () => number;
  maxEndpoints?: number;
}

const histogramJson = z.array(z.tuple([z.number().int(), z.number().int()]));
const slotJson = z.object({
  start: z.number(),
  calls: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  ttft: histogramJson,
  latency: histogramJson,
  throughput: histogramJson,
});

/** The persisted form of {@link LiveMetrics}: version, and each endpoint's live slots. */
export const liveMetricsJsonSchema = z.object({
  version: z.literal(1),
  endpoints: z.record(z.string(), z.object({ recent: z.array(slotJson), hour: z.array(slotJson) })),
});

/** What {@link LiveMetrics.toJSON} returns and {@link LiveMetrics.fromJSON} reads. */
export type LiveMetricsJson = z.infer<typeof liveMetricsJsonSchema>;

/**
 * Per-endpoint TTFT, latency, throughput and error rate over a rolling 5-minute window and a
 * rolling hour, as p50/p75/p90/p99. Memory is bounded: each window is a ring of fixed slots of
 * bounded histograms, and at most `maxEndpoints` endpoints are kept (least recently used go).
 */
export class LiveMetrics implements MetricsRecorder {
  private readonly endpoints = new Map<string, EndpointRings>();
  private readonly clock: () => number;
  private readonly maxEndpoints: number;
  /**
   * Each endpoint's statistics as of slot `statsEpoch` (absent: no call in the hour), versioned:
   * a snapshot is one version, so handing one out after a call costs that endpoint's
   * percentiles, not a copy of every endpoint's entry, and the planner's caches can ask which
   * endpoints changed between two snapshots (see `MapVersion.changedKeysSince`).
   */
  private readonly stats = new VersionedMap<string, EndpointLiveStats>();
  private statsEpoch: number | undefined;
  /** Endpoints with a call recorded since `stats` was last brought up to date. */
  private readonly recorded = new Set<string>();
  /**
   * The last snapshot, reused until a call is recorded or the clock enters another slot: a
   * window's contents change only at slot boundaries (see {@link slotEpoch}), so within one slot
   * the same samples give the same percentiles, and the planner's per-snapshot caches can hit.
   */
  private cached: { snapshot: MetricsSnapshot; epoch: number } | undefined;

  constructor(options: LiveMetricsOptions) {
    this.clock = options.clock;
    this.maxEndpoints = options.maxEndpoints ?? DEFAULT_MAX_ENDPOINTS;
  }

  record(endpointKey: string, sample: CallSample): void {
    let rings = this.endpoints.get(endpointKey);
    if (rings === undefined) {
      rings = { recent: new Array(RECENT.slots), hour: new Array(HOUR.slots), lastUsed: sample.at };
      this.endpoints.set(endpointKey, rings);
      this.evictBeyondLimit();
    }
    rings.lastUsed = Math.max(rings.lastUsed, sample.at);
    this.recorded.add(endpointKey);
    this.cached = undefined;
    addToRing(rings.recent, RECENT, sample, rings.recentTotals);
    addToRing(rings.hour, HOUR, sample, rings.hourTotals);
  }

  /**
   * Statistics of every endpoint with calls in the last hour. The same object is returned until
   * a call is recorded or the windows move to another slot; treat it as read-only. After a call,
   * only that endpoint's percentiles are computed again.
   */
  snapshot(): MetricsSnapshot {
    const now = this.clock();
    const epoch = slotEpoch(now);
    if (this.cached !== undefined && this.cached.epoch === epoch) {
      return this.cached.snapshot;
    }
    if (epoch !== this.statsEpoch) {
      // The windows moved to another slot: any endpoint's statistics may have changed.
      for (const [key, rings] of this.endpoints) {
        this.summariseInto(key, rings, now, epoch);
      }
      this.statsEpoch = epoch;
    } else {
      for (const key of this.recorded) {
        const rings = this.endpoints.get(key);
        if (rings !== undefined) {
          this.summariseInto(key, rings, now, epoch);
        }
      }
    }
    this.recorded.clear();
    const snapshot: MetricsSnapshot = { endpoints: this.stats.current() };
    this.cached = { snapshot, epoch };
    return snapshot;
  }

  toJSON(): LiveMetricsJson {
    const endpoints: LiveMetricsJson['endpoints'] = {};
    for (const [key, rings] of this.endpoints) {
      endpoints[key] = { recent: serialiseRing(rings.recent), hour: serialiseRing(rings.hour) };
    }
    return { version: 1, endpoints };
  }

  /** Restores persisted metrics; slots older than their window are simply ignored by later snapshots. */
  static fromJSON(json: unknown, options: LiveMetricsOptions): LiveMetrics {
    const parsed = liveMetricsJsonSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PerpetuoError({
        kind: 'config',
        message: `Saved routing metrics are not valid (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown shape'}); they will be rebuilt from new calls.`,
      });
    }
    const metrics = new LiveMetrics(options);
    for (const [key, saved] of Object.entries(parsed.data.endpoints)) {
      const rings: EndpointRings = { recent: new Array(RECENT.slots), hour: new Array(HOUR.slots), lastUsed: 0 };
      restoreRing(rings.recent, RECENT, saved.recent);
      restoreRing(rings.hour, HOUR, saved.hour);
      rings.lastUsed = Math.max(0, ...rings.hour.map((slot) => slot?.start ?? 0));
      metrics.endpoints.set(key, rings);
    }
    metrics.evictBeyondLimit();
    return metrics;
  }

  private summariseInto(key: string, rings: EndpointRings, now: number, epoch: number): void {
    if (rings.hourTotals?.epoch !== epoch) {
      rings.hourTotals = WindowTotals.of(rings.hour, HOUR, now, epoch);
    }
    if (rings.hourTotals.sampleCount === 0) {
      this.stats.delete(key);
      return;
    }
    if (rings.recentTotals?.epoch !== epoch) {
      rings.recentTotals = WindowTotals.of(rings.recent, RECENT, now, epoch);
    }
    this.stats.set(key, { recent: rings.recentTotals.stats(), hour: rings.hourTotals.stats() });
  }

  private evictBeyondLimit(): void {
    while (this.endpoints.size > this.maxEndpoints) {
      let oldestKey: string | undefined;
      let oldest = Number.POSITIVE_INFINITY;
      for (const [key, rings] of this.endpoints) {
        if (rings.lastUsed < oldest) {
          oldest = rings.lastUsed;
          oldestKey = key;
        }
      }
      if (oldestKey === undefined) {
        return;
      }
      this.endpoints.delete(oldestKey);
      this.stats.delete(oldestKey);
      this.recorded.delete(oldestKey);
      this.cached = undefined;
    }
  }
}

/**
 * Which slot of the finer window `now` falls in. {@link summarise} keeps a slot while
 * `start + slotMs > now - slotMs * slots` and `start <= now`; slot starts are multiples of their
 * window's `slotMs`, so both tests flip only when `now` crosses such a multiple. The hour's slot
 * is a whole number of recent slots, so one epoch covers both windows.
 */
function slotEpoch(now: number): number {
  return Math.floor(now / RECENT.slotMs);
}

/** Records a call in its slot of the ring, and in the window's totals when they hold that slot. */
function addToRing(ring: Array<Slot | undefined>, shape: WindowShape, sample: CallSample, totals: WindowTotals | undefined): void {
  const start = Math.floor(sample.at / shape.slotMs) * shape.slotMs;
  const index = Math.floor(sample.at / shape.slotMs) % shape.slots;
  let slot = ring[index];
  if (slot === undefined || slot.start !== start) {
    if (slot !== undefined && slot.start > start) {
      // A sample older than what this slot already holds belongs to a window that has passed.
      return;
    }
    if (slot !== undefined) {
      // The slot is reused for a later time: what it held leaves the window.
      totals?.addSlot(slot, -1);
    }
    slot = { start, calls: 0, errors: 0, ttft: new LogHistogram(), latency: new LogHistogram(), throughput: new LogHistogram() };
    ring[index] = slot;
  }
  slot.calls++;
  if (!sample.ok) {
    slot.errors++;
    totals?.addCall(start, false, -1, -1, -1);
    return;
  }
  const ttftMs = sample.ttftMs ?? Number.NaN;
  slot.ttft.record(ttftMs);
  slot.latency.record(sample.durationMs);
  const generationMs = sample.durationMs - (sample.ttftMs ?? 0);
  // Throughput after the first token, as OpenRouter measures it: TTFT is reported apart.
  const throughput = sample.outputTokens !== undefined && sample.outputTokens > 0 && generationMs > 0 ? sample.outputTokens / (generationMs / 1000) : Number.NaN;
  slot.throughput.record(throughput);
  totals?.addCall(start, true, LogHistogram.binOf(ttftMs), LogHistogram.binOf(sample.durationMs), LogHistogram.binOf(throughput));
}

function serialiseRing(ring: ReadonlyArray<Slot | undefined>): LiveMetricsJson['endpoints'][string]['recent'] {
  return ring
    .filter((slot): slot is Slot => slot !== undefined)
    .map((slot) => ({ start: slot.start, calls: slot.calls, errors: slot.errors, ttft: slot.ttft.toJSON(), latency: slot.latency.toJSON(), throughput: slot.throughput.toJSON() }));
}

function restoreRing(ring: Array<Slot | undefined>, shape: WindowShape, saved: LiveMetricsJson['endpoints'][string]['recent']): void {
  for (const slot of saved) {
    if (slot.start % shape.slotMs !== 0) {
      continue;
    }
    const index = Math.floor(slot.start / shape.slotMs) % shape.slots;
    const existing = ring[index];
    if (existing !== undefined && existing.start >= slot.start) {
      continue;
    }
    ring[index] = {
      start: slot.start,
      calls: slot.calls,
      errors: slot.errors,
      ttft: LogHistogram.fromJSON(slot.ttft),
      latency: LogHistogram.fromJSON(slot.latency),
      throughput: LogHistogram.fromJSON(slot.throughput),
    };
  }
}
