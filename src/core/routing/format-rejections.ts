import type { RejectReason, RejectedCandidate } from './route-plan';

/** What each reason means, in the words a user reads in the decision log. */
export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  'no-key': 'no API key',
  'provider-not-allowed': 'provider outside your allowProviders',
  'not-in-only': 'provider outside provider.only',
  'provider-ignored': 'provider in provider.ignore',
  'fallbacks-disabled': 'not used: provider.allow_fallbacks is false',
  'circuit-open': 'endpoint cooling down after repeated failures',
  'model-denied': 'model matches your denyModels',
  'model-not-allowed': 'model outside your allowModels',
  'service-tier': 'service tier not admitted',
  'not-free': 'not free (:free asked)',
  'zdr-required': 'not zero-data-retention',
  'data-collection': 'may retain or train on prompts',
  quantization: 'quantization not allowed',
  modality: 'cannot read the attachments',
  'attachment-limit': "attachment over the provider's limits",
  'output-modality': 'cannot produce the requested output',
  'context-length': 'context window too small',
  'max-output': 'max output too small',
  'missing-parameter': 'missing a required parameter',
  'price-unknown': 'price unknown',
  'max-price': 'above provider.max_price',
  'cost-cap': 'above your per-request cost cap',
};

/** One line per reason, most frequent first: `label (n): a via p, b via q, +3 more; e.g. <detail>`. */
export function formatRejections(rejected: readonly RejectedCandidate[], maxPerGroup = 4): string[] {
  const groups = new Map<RejectReason, RejectedCandidate[]>();
  for (const candidate of rejected) {
    const group = groups.get(candidate.reason) ?? [];
    group.push(candidate);
    groups.set(candidate.reason, group);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, group]) => {
      const names = group.slice(0, maxPerGroup).map((candidate) => (candidate.modelId === '*' ? `every model via ${candidate.provider}` : `${candidate.modelId} via ${candidate.provider}`));
      const more = group.length > maxPerGroup ? `, +${group.length - maxPerGroup} more` : '';
      return `${REJECT_REASON_LABELS[reason]} (${group.length}): ${names.join(', ')}${more}; e.g. ${group[0]?.detail ?? ''}`;
    });
}

/**
 * The two reasons that rejected the most candidates, most first (the first met first on a tie):
 * `no API key ×6, over the cost cap ×2`. Counted in a short list rather than a Map: there are
 * about twenty reasons, and most plans meet one or two.
 */
export function describeTopReasons(rejected: readonly RejectedCandidate[]): string {
  const reasons: RejectedCandidate['reason'][] = [];
  const counts: number[] = [];
  for (const candidate of rejected) {
    const at = reasons.indexOf(candidate.reason);
    if (at === -1) {
      reasons.push(candidate.reason);
      counts.push(1);
    } else {
      counts[at] = (counts[at] ?? 0) + 1;
    }
  }
  let first = 0;
  let second = -1;
  for (let at = 1; at < reasons.length; at++) {
    const count = counts[at] ?? 0;
    if (count > (counts[first] ?? 0)) {
      second = first;
      first = at;
    } else if (second === -1 || count > (counts[second] ?? 0)) {
      second = at;
    }
  }
  const label = (at: number): string => `${REJECT_REASON_LABELS[reasons[at] ?? 'no-key']} ×${counts[at] ?? 0}`;
  return second === -1 ? label(first) : `${label(first)}, ${label(second)}`;
}
