import { PerpetuoError } from '../errors/perpetuo-error';
import { WHERE_KEYS_LIVE } from '../errors/where-keys-live';
import { formatRejections } from './format-rejections';
import type { RejectedCandidate, RoutePlan } from './route-plan';

/** What a user can do about the most common reason, appended to the message. */
const HINTS: Partial<Record<RejectedCandidate['reason'], string>> = {
  'no-key': `Add a provider key (${WHERE_KEYS_LIVE}).`,
  'price-unknown': 'Set allowUnpriced in your routing policy to use endpoints without a published price.',
  'cost-cap': 'Raise your per-request cost cap or lower maxOutputTokens.',
  'context-length': 'Shorten the prompt or pick a model with a larger context window.',
  'circuit-open': 'Those endpoints failed repeatedly; they are retried after a short cooldown.',
};

/**
 * The `no-eligible-model` error of a plan that kept nothing: what excluded each candidate,
 * grouped by reason, most frequent first, and what to do about the top one.
 */
export function createNoEligibleModelError(requested: string, rejected: readonly RejectedCandidate[], scope: RoutePlan['scope']): PerpetuoError {
  const lines = formatRejections(rejected);
  if (scope.models === 0 && scope.note !== null) {
    lines.unshift(`no catalog model is in scope: ${scope.note} match none of them`);
  } else if (scope.outOfScope > 0 && scope.note !== null) {
    lines.push(`${scope.outOfScope} more models were out of scope (${scope.note})`);
  }
  const first = rejected.length > 0 ? mostFrequentReason(rejected) : undefined;
  const hint = first === undefined ? undefined : HINTS[first];
  const body = lines.length > 0 ? lines.map((line) => `\n  - ${line}`).join('') : '\n  - the catalog has no endpoint for it';
  return new PerpetuoError({
    kind: 'no-eligible-model',
    message: `No endpoint can serve '${requested}':${body}${hint === undefined ? '' : `\n${hint}`}`,
    statusCode: 404,
  });
}

function mostFrequentReason(rejected: readonly RejectedCandidate[]): RejectedCandidate['reason'] | undefined {
  const counts = new Map<RejectedCandidate['reason'], number>();
  let best: RejectedCandidate['reason'] | undefined;
  let bestCount = 0;
  for (const candidate of rejected) {
    const count = (counts.get(candidate.reason) ?? 0) + 1;
    counts.set(candidate.reason, count);
    if (count > bestCount) {
      best = candidate.reason;
      bestCount = count;
    }
  }
  return best;
}
