import { describeTopReasons } from './format-rejections';
import type { RejectedCandidate } from './route-plan';

/** The tail of a plan's explanation after its first target: how many fallbacks follow it. */
export function describeFallbackCount(fallbacks: number): string {
  return fallbacks > 0 ? `; ${fallbacks} fallback${fallbacks === 1 ? '' : 's'}` : '';
}

/** The tail of a plan's explanation: how many candidates were rejected, and the commonest reasons. */
export function describeRejectedCount(rejected: readonly RejectedCandidate[]): string {
  return rejected.length > 0 ? `; ${rejected.length} rejected (${describeTopReasons(rejected)})` : '';
}
