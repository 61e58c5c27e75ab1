import type { BudgetPeriod } from './guardrail-schema';

/** The span of time whose spend counts against a budget at one instant. */
export interface PeriodWindow {
  /** Spend at or after this instant (ms since epoch) counts. */
  startMs: number;
  /** When a calendar period resets; undefined for a rolling window, which frees spend gradually. */
  resetsAtMs: number | undefined;
}

const HOUR_MS = 3_600_000;

/**
 * Calendar periods are in the machine's local time, as a user reads "today": they start at local
 * midnight, weeks on Monday (ISO 8601), months on the 1st. Dates are built from local fields, not
 * by adding 24 h, so a daylight-saving day is 23 or 25 hours long, as it is on the user's clock.
 */
export function computePeriodWindow(period: BudgetPeriod, nowMs: number): PeriodWindow {
  const now = new Date(nowMs);
  if (typeof period === 'object') {
    return { startMs: nowMs - period.rollingHours * HOUR_MS, resetsAtMs: undefined };
  }
  const year = now.getFullYear();
  const month = now.getMonth();
  const day = now.getDate();
  switch (period) {
    case 'daily':
      return { startMs: new Date(year, month, day).getTime(), resetsAtMs: new Date(year, month, day + 1).getTime() };
    case 'weekly': {
      const sinceMonday = (now.getDay() + 6) % 7;
      return {
        startMs: new Date(year, month, day - sinceMonday).getTime(),
        resetsAtMs: new Date(year, month, day - sinceMonday + 7).getTime(),
      };
    }
    case 'monthly':
      return { startMs: new Date(year, month, 1).getTime(), resetsAtMs: new Date(year, month + 1, 1).getTime() };
    default: {
      const unreachable: never = period;
      throw new Error(`unknown budget period ${String(unreachable)}`);
    }
  }
}

/** `Daily`, `Weekly`, `Monthly`, `Rolling 5-hour`: how a budget is named in messages. */
export function describePeriod(period: BudgetPeriod): string {
  if (typeof period === 'object') {
    return `Rolling ${period.rollingHours}-hour`;
  }
  return period.charAt(0).toUpperCase() + period.slice(1);
}

/** A stable key for a period, used in budget ids: `daily`, `rolling-5h`. */
export function periodKey(period: BudgetPeriod): string {
  return typeof period === 'object' ? `rolling-${period.rollingHours}h` : period;
}
