/** What one finished call to an endpoint tells the live metrics. */
export interface CallSample {
  /** Epoch milliseconds when the call finished. */
  at: number;
  /** False when the call failed with an endpoint fault (see `isEndpointFault`); such calls count in the error rate. */
  ok: boolean;
  /** Time to the first content part, when one arrived. */
  ttftMs?: number;
  /** The whole call. */
  durationMs: number;
  /** Output tokens the provider reported, for throughput. */
  outputTokens?: number;
}

/** Where the executor reports each call; `LiveMetrics` is the implementation. */
export interface MetricsRecorder {
  record(endpointKey: string, sample: CallSample): void;
}
