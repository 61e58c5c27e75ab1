import { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import { LogHistogram } from './log-histogram';
import type { CallSample, MetricsRecorder } from './metrics-recorder';
import type { EndpointLiveStats, MetricsSnapshot, Percentiles, WindowStats } from './metrics-snapshot';

/** A window as a ring of fixed time slots: old slots are reused, so memory never grows with traffic. */
interface WindowShape {
  slotMs: number;
  slots: number;
}

/** 5 minutes in 10 slots of 30 s (OpenRouter's soft thresholds use a rolling 5-minute window). */
const RECENT: WindowShape = { slotMs: 30_000, slots: 10 };
/** 1 hour in 12 slots of 5 minutes. */
const HOUR: WindowShape = { slotMs: 300_000, slots: 12 };

/** Endpoints kept by default; the least recently used beyond this are forgotten. */
export const DEFAULT_MAX_ENDPOINTS = 500;

interface Slot {
  start: number;
  calls: number;
  errors: number;
  ttft: LogHistogram;
  latency: LogHistogram;
  throughput: LogHistogram;
}

interface EndpointRings {
  recent: Array<Slot | undefined>;
  hour: Array<Slot | undefined>;
  lastUsed: number;
  /** This endpoint's statistics as of slot `summaryEpoch` (null: no call in the hour); dropped when a call is recorded. */
  summary?: EndpointLiveStats | null;
  summaryEpoch?: number;
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
    rings.summary = undefined;
    this.cached = undefined;
    addToRing(rings.recent, RECENT, sample);
    addToRing(rings.hour, HOUR, sample);
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
    const endpoints = new Map<string, EndpointLiveStats>();
    for (const [key, rings] of this.endpoints) {
      if (rings.summary === undefined || rings.summaryEpoch !== epoch) {
        const hour = summarise(rings.hour, HOUR, now);
        rings.summary = hour.samples === 0 ? null : { recent: summarise(rings.recent, RECENT, now), hour };
        rings.summaryEpoch = epoch;
      }
      if (rings.summary !== null) {
        endpoints.set(key, rings.summary);
      }
    }
    const snapshot: MetricsSnapshot = { endpoints };
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

function addToRing(ring: Array<Slot | undefined>, shape: WindowShape, sample: CallSample): void {
  const start = Math.floor(sample.at / shape.slotMs) * shape.slotMs;
  const index = Math.floor(sample.at / shape.slotMs) % shape.slots;
  let slot = ring[index];
  if (slot === undefined || slot.start !== start) {
    if (slot !== undefined && slot.start > start) {
      // A sample older than what this slot already holds belongs to a window that has passed.
      return;
    }
    slot = { start, calls: 0, errors: 0, ttft: new LogHistogram(), latency: new LogHistogram(), throughput: new LogHistogram() };
    ring[index] = slot;
  }
  slot.calls++;
  if (!sample.ok) {
    slot.errors++;
    return;
  }
  if (sample.ttftMs !== undefined) {
    slot.ttft.record(sample.ttftMs);
  }
  slot.latency.record(sample.durationMs);
  const generationMs = sample.durationMs - (sample.ttftMs ?? 0);
  if (sample.outputTokens !== undefined && sample.outputTokens > 0 && generationMs > 0) {
    // Throughput after the first token, as OpenRouter measures it: TTFT is reported apart.
    slot.throughput.record(sample.outputTokens / (generationMs / 1000));
  }
}

function summarise(ring: ReadonlyArray<Slot | undefined>, shape: WindowShape, now: number): WindowStats {
  const oldest = now - shape.slotMs * shape.slots;
  const ttft = new LogHistogram();
  const latency = new LogHistogram();
  const throughput = new LogHistogram();
  let samples = 0;
  let errors = 0;
  for (const slot of ring) {
    if (slot === undefined || slot.start + shape.slotMs <= oldest || slot.start > now) {
      continue;
    }
    samples += slot.calls;
    errors += slot.errors;
    ttft.merge(slot.ttft);
    latency.merge(slot.latency);
    throughput.merge(slot.throughput);
  }
  const stats: WindowStats = { samples, errors, errorRate: samples === 0 ? 0 : errors / samples };
  const ttftPercentiles = percentilesOf(ttft);
  const latencyPercentiles = percentilesOf(latency);
  const throughputPercentiles = percentilesOf(throughput);
  if (ttftPercentiles) stats.ttftMs = ttftPercentiles;
  if (latencyPercentiles) stats.latencyMs = latencyPercentiles;
  if (throughputPercentiles) stats.throughput = throughputPercentiles;
  return stats;
}

const PERCENTILE_FRACTIONS = [0.5, 0.75, 0.9, 0.99];

function percentilesOf(histogram: LogHistogram): Percentiles | undefined {
  const [p50, p75, p90, p99] = histogram.percentiles(PERCENTILE_FRACTIONS);
  if (p50 === undefined || p75 === undefined || p90 === undefined || p99 === undefined) {
    return undefined;
  }
  return { p50, p75, p90, p99 };
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
