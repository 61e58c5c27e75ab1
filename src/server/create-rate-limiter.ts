import { EndpointRejection } from './endpoint-rejection';

export interface RateLimits {
  /** Requests in flight at once, per token. */
  maxConcurrentPerToken: number;
  /** Requests a minute, per token (a token bucket: this many at once, refilled evenly). */
  requestsPerMinute: number;
}

/** Admits a request for a token, or throws a 429; the returned function releases its slot. */
export type RateLimiter = (tokenName: string) => () => void;

/**
 * Per-token caps on concurrency and rate, so that one runaway tool cannot starve the others or
 * spend the user's budget in a loop. The clock is injected so tests need not wait.
 */
export function createRateLimiter(limits: RateLimits, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number; inFlight: number }>();
  const refillPerMs = limits.requestsPerMinute / 60_000;
  return (tokenName) => {
    const time = now();
    let bucket = buckets.get(tokenName);
    if (bucket === undefined) {
      bucket = { tokens: limits.requestsPerMinute, at: time, inFlight: 0 };
      buckets.set(tokenName, bucket);
    }
    bucket.tokens = Math.min(limits.requestsPerMinute, bucket.tokens + (time - bucket.at) * refillPerMs);
    bucket.at = time;
    if (bucket.inFlight >= limits.maxConcurrentPerToken) {
      throw new EndpointRejection({
        status: 429,
        errorType: 'rate_limit_exceeded',
        message: `Too many requests in flight for this token (at most ${limits.maxConcurrentPerToken}).`,
        retryAfterSeconds: 1,
      });
    }
    if (bucket.tokens < 1) {
      throw new EndpointRejection({
        status: 429,
        errorType: 'rate_limit_exceeded',
        message: `Too many requests for this token (at most ${limits.requestsPerMinute} a minute).`,
        retryAfterSeconds: (1 - bucket.tokens) / refillPerMs / 1000,
      });
    }
    bucket.tokens -= 1;
    bucket.inFlight += 1;
    const held = bucket;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        held.inFlight -= 1;
      }
    };
  };
}
