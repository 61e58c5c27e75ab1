import type { TimeRange } from '../../src/shared/webview-protocol';

/** The range choices in the order the pickers list them, with their labels. */
export const TIME_RANGE_LABELS: ReadonlyArray<[TimeRange, string]> = [
  ['hour', 'Last hour'],
  ['today', 'Today'],
  ['7d', 'Last 7 days'],
  ['week', 'This week'],
  ['30d', 'Last 30 days'],
  ['month', 'This month'],
  ['all', 'All time'],
];
