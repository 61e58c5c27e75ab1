/** Four percentiles of one measure over a window. */
export interface Percentiles {
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

/** What we measured of one endpoint over one window. Percentiles are absent when no sample had that measure. */
export interface WindowStats {
  /** Calls that finished (successfully or not) in the window. */
  samples: number;
  /** Calls that failed with an endpoint fault (see `isEndpointFault`). */
  errors: number;
  /** errors / samples, 0 when there are no samples. */
  errorRate: number;
  /** Time to the first content part, in milliseconds. */
  ttftMs?: Percentiles;
  /** Whole call, in milliseconds. */
  latencyMs?: Percentiles;
  /** Output tokens per second after the first token. */
  throughput?: Percentiles;
}

/** Live statistics of one endpoint: the last 5 minutes (what OpenRouter's soft thresholds use) and the last hour. */
export interface EndpointLiveStats {
  recent: WindowStats;
  hour: WindowStats;
}

/**
 * The router's view of live health, taken once per request: statistics by endpoint key
 * ({@link endpointKey}) and the endpoints whose circuit breaker currently refuses calls.
 */
export interface MetricsSnapshot {
  endpoints: ReadonlyMap<string, EndpointLiveStats>;
  openCircuits?: ReadonlySet<string>;
}

/** The key of an endpoint in metrics and circuit breakers: `provider/upstreamModelId`. */
export function endpointKey(provider: string, upstreamModelId: string): string {
  return `${provider}/${upstreamModelId}`;
}

/** A snapshot with no measurements: every strategy falls back to the catalog's published stats. */
export function emptyMetricsSnapshot(): MetricsSnapshot {
  return { endpoints: new Map() };
}
