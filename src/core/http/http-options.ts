import type { Dispatcher } from 'undici';

/** How an adapter reaches the network. Injected so tests point it at 127.0.0.1 and so the
 *  extension and the endpoint share one connection pool. */
export interface HttpOptions {
  /** undici dispatcher (an Agent or a test MockAgent); the global one when undefined. */
  dispatcher?: Dispatcher;
  /** A stream that sends no byte for this long becomes a `timeout` error. Default 60 s. */
  idleTimeoutMs?: number;
  /** Time allowed for the response headers (first byte). Default 120 s: reasoning models think first. */
  headersTimeoutMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 120_000;
