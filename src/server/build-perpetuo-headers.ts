import type { RoutedCall } from '../core/engine/routed-call';

/**
 * The response headers that say what really happened: the decision id always, and once a target
 * has served (the first content part was committed), that target's model and provider — never
 * the primary that was planned (LiteLLM PR #38606 reported the primary after a fallback).
 * `x-perpetuo-overhead-ms` is the endpoint's own time before it handed the request to core, plus
 * core's time before the serving upstream request went out, when the engine reports it; the
 * header is absent rather than a guess when it does not.
 */
export function buildPerpetuoHeaders(call: RoutedCall, endpointMs: number): Record<string, string> {
  const headers: Record<string, string> = { 'x-perpetuo-decision-id': call.id };
  const served = call.served();
  if (served !== undefined) {
    headers['x-perpetuo-model'] = served.modelId;
    headers['x-perpetuo-provider'] = served.provider;
    headers['x-perpetuo-fallbacks'] = String(served.fallbacks);
  }
  const coreMs = call.overheadMs?.();
  if (coreMs !== undefined) {
    headers['x-perpetuo-overhead-ms'] = (endpointMs + coreMs).toFixed(3);
  }
  return headers;
}
