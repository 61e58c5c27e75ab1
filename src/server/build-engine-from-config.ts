import type { RoutingEngine } from '../core/engine/routed-call';
import type { ServeConfig } from './load-serve-config';

/**
 * The one place where `perpetuo serve` turns its config into core's `RoutingEngine`: providers
 * with their keys, the catalog, the strategy, guardrails, the ledger and budget journal in
 * `ledgerDir`, live metrics and the circuit breaker.
 *
 * INTEGRATION POINT: `createRoutingEngine` (src/core/engine/create-routing-engine.ts) was not
 * yet committed when the endpoint landed; until it is wired here, `perpetuo serve` stops with
 * this error rather than serving from a stand-in.
 */
export async function buildEngineFromConfig(config: ServeConfig): Promise<RoutingEngine> {
  throw new Error(
    `The headless routing engine is not wired into this build yet (${config.providers.length} provider(s) configured). ` +
      'Use the endpoint from the VS Code extension meanwhile.',
  );
}
