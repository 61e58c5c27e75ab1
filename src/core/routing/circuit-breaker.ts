/** `closed`: calls flow. `open`: calls refused until the cooldown ends. `half-open`: one probe call allowed. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Epoch milliseconds; injected so tests can move time. */
  clock: () => number;
  /** Consecutive endpoint faults that open the circuit (default 3). */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before a probe (default 30 s). */
  cooldownMs?: number;
}

interface Entry {
  failures: number;
  openedAt: number | undefined;
  probing: boolean;
}

/**
 * One circuit per endpoint (`provider/upstreamModelId`). After `failureThreshold` consecutive
 * endpoint faults the circuit opens and the endpoint is skipped; after `cooldownMs` one probe
 * call is let through (half-open): success closes the circuit, failure opens it for another
 * cooldown. Only endpoints with failures are stored, so memory follows the broken endpoints.
 */
export class CircuitBreaker {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: () => number;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;

  constructor(options: CircuitBreakerOptions) {
    this.clock = options.clock;
    this.failureThreshold = options.failureThreshold ?? 3;
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  state(key: string): CircuitState {
    const entry = this.entries.get(key);
    if (entry?.openedAt === undefined) {
      return 'closed';
    }
    return this.clock() - entry.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /**
   * Asks to call the endpoint now. True when closed; in half-open, true for the first caller
   * only (the probe), whose outcome must then be reported; false while open.
   */
  tryAcquire(key: string): boolean {
    const entry = this.entries.get(key);
    switch (this.state(key)) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (entry === undefined || entry.probing) {
          return false;
        }
        entry.probing = true;
        return true;
    }
  }

  recordSuccess(key: string): void {
    this.entries.delete(key);
  }

  /** An endpoint fault (see `isEndpointFault`); other errors should be reported with {@link release}. */
  recordFailure(key: string): void {
    const entry = this.entries.get(key) ?? { failures: 0, openedAt: undefined, probing: false };
    entry.failures++;
    if (entry.probing || entry.failures >= this.failureThreshold) {
      entry.openedAt = this.clock();
    }
    entry.probing = false;
    this.entries.set(key, entry);
  }

  /** The call ended without telling anything about the endpoint (cancelled, bad key): a probe slot is freed. */
  release(key: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      entry.probing = false;
    }
  }

  /** Endpoints that would refuse a call now, for the planner's `MetricsSnapshot.openCircuits`. */
  openEndpoints(): ReadonlySet<string> {
    const open = new Set<string>();
    for (const [key, entry] of this.entries) {
      const state = this.state(key);
      if (state === 'open' || (state === 'half-open' && entry.probing)) {
        open.add(key);
      }
    }
    return open;
  }
}
