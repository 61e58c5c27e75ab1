import type { IndexedEndpoint } from './index-catalog';
import type { EndpointPerformance, RankKey } from './score-endpoint';

/** An endpoint that passed every hard filter, with its ordering keys. */
export interface Eligible {
  endpoint: IndexedEndpoint;
  costUsd: number | undefined;
  /** Partition: the candidate's position for `partition: 'model'`, else 0. */
  group: number;
  label: string | undefined;
  /** Position in provider.order; order.length when unlisted; 0 without an order. */
  orderRank: number;
  /** Why a soft preference moved it to the end, if one did. */
  demoted: string | undefined;
  performance: EndpointPerformance | undefined;
  key: RankKey;
}

/** The order of targets: partition, provider.order, soft demotion, strategy key, catalog position. */
export function compareEligible(a: Eligible, b: Eligible): number {
  return compareParts(a.group, a.orderRank, a.demoted, a.key.score, a.key.secondary, a.endpoint.position, b);
}

/** {@link compareEligible} of an endpoint not made into an `Eligible` yet, given by its parts. */
export function compareParts(group: number, orderRank: number, demoted: string | undefined, score: number, secondary: number, position: number, b: Eligible): number {
  return (
    group - b.group ||
    orderRank - b.orderRank ||
    (demoted === undefined ? 0 : 1) - (b.demoted === undefined ? 0 : 1) ||
    compareNumbers(score, b.key.score) ||
    compareNumbers(secondary, b.key.secondary) ||
    position - b.endpoint.position
  );
}

/** Like `a - b`, but two infinities compare equal instead of giving NaN. */
export function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Inserts `entry` into `top`, kept sorted and at most `limit` long: O(limit) per entry, and an
 * entry worse than the current last is dropped after one comparison.
 */
export function insertBounded(top: Eligible[], entry: Eligible, limit: number): void {
  if (top.length >= limit) {
    const last = top[top.length - 1];
    if (last === undefined || compareEligible(entry, last) >= 0) {
      return;
    }
    top.pop();
  }
  // Shift the worse ones up by hand: `splice` costs more than the few moves it makes here.
  let position = top.length;
  top.push(entry);
  while (position > 0) {
    const before = top[position - 1];
    if (before === undefined || compareEligible(before, entry) <= 0) {
      break;
    }
    top[position] = before;
    position--;
  }
  top[position] = entry;
}
