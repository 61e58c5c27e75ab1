import type { RoutingEngine } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import type { KeyStore } from './key-store';

/**
 * Builds the routing engine for the keys the user has. Undefined when there are none, so the
 * surfaces can say what to do next.
 */
export async function buildRoutingEngine(keys: KeyStore): Promise<RoutingEngine | undefined> {
  const providers = await keys.providers();
  if (providers.length === 0) {
    return undefined;
  }
  // The router, guardrails and ledger are wired here as they land (issues 4 and 5).
  throw new PerpetuoError({ kind: 'config', message: 'Keys are stored, but this build of Perpetuo cannot route requests yet.' });
}
