import { computePeriodWindow } from '../../core/guardrails/compute-period-window';
import type { TimeRange } from '../../shared/webview-protocol';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The instants a dashboard range covers, [fromMs, toMs). Calendar ranges use the budgets' own
 * period windows, so "this week" on the overview is the week a weekly budget counts.
 */
export function resolveTimeRange(range: TimeRange, nowMs: number): { fromMs: number | undefined; toMs: number | undefined } {
  switch (range) {
    case 'hour':
      return { fromMs: nowMs - HOUR_MS, toMs: undefined };
    case 'today':
      return { fromMs: computePeriodWindow('daily', nowMs).startMs, toMs: undefined };
    case 'week':
      return { fromMs: computePeriodWindow('weekly', nowMs).startMs, toMs: undefined };
    case 'month':
      return { fromMs: computePeriodWindow('monthly', nowMs).startMs, toMs: undefined };
    case '7d':
      return { fromMs: nowMs - 7 * DAY_MS, toMs: undefined };
    case '30d':
      return { fromMs: nowMs - 30 * DAY_MS, toMs: undefined };
    case 'all':
      return { fromMs: undefined, toMs: undefined };
    default: {
      const unreachable: never = range;
      throw new Error(`unknown time range ${String(unreachable)}`);
    }
  }
}
