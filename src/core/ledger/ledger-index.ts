import type { LedgerRecord } from './ledger-record';
import { usdToNanos } from './convert-usd-units';

/** What a dashboard groups spend by. */
export type LedgerGroupBy = 'day' | 'model' | 'provider' | 'source' | 'outcome';

/** Spend and tokens of one group over a time range. */
export interface LedgerAggregateRow {
  /** `2026-03-14` (local day), a model id, a provider id, `model-picker:github.copilot-chat`, an outcome. */
  key: string;
  requests: number;
  chargedNanos: number;
  chargedUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** Filters that the index answers without reading record text. */
export interface LedgerFilter {
  fromMs?: number;
  toMs?: number;
  model?: string;
  provider?: string;
  /** A source kind (`chat`) or kind and detail (`endpoint:aider`). */
  source?: string;
  outcome?: LedgerRecord['outcome'];
}

/** Where a record's line is, to read it back. */
export interface LedgerRowLocation {
  segment: number;
  offset: number;
  length: number;
}

const NUMERIC_COLUMNS = ['at', 'charged', 'input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'offset'] as const;
const INT_COLUMNS = ['day', 'model', 'provider', 'source', 'outcome', 'segment', 'length'] as const;
type NumericColumn = (typeof NUMERIC_COLUMNS)[number];
type IntColumn = (typeof INT_COLUMNS)[number];

/**
 * The in-memory index of the ledger: one row per record in typed-array columns, with strings
 * interned. A million rows take about 100 MB and aggregate in tens of milliseconds; the record
 * text stays on disk and is read back by location. Today's spend is kept per local day as rows
 * arrive, so the status bar reads it in O(1).
 */
export class LedgerIndex {
  private rows = 0;
  private capacity = 0;
  private numeric = {} as Record<NumericColumn, Float64Array>;
  private ints = {} as Record<IntColumn, Int32Array>;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly ids = new Map<string, number>();
  private readonly dayTotals = new Map<number, number>();
  /** The local day last looked up, as [start, end) in ms: records come in time order, so most need no Date. */
  private dayCache = { startMs: 0, endMs: 0, day: 0 };

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  get size(): number {
    return this.rows;
  }

  /** Adds a record; a record id seen before (a retried write) is ignored. Returns whether it was added. */
  add(record: LedgerRecord, location: LedgerRowLocation): boolean {
    if (this.ids.has(record.id)) {
      return false;
    }
    if (this.rows === this.capacity) {
      this.grow(this.capacity * 2);
    }
    const row = this.rows++;
    const at = Date.parse(record.time);
    const day = this.dayOf(at);
    const charged = usdToNanos(record.cost.chargedUsd);
    const n = this.numeric;
    n.at[row] = at;
    n.charged[row] = charged;
    n.input[row] = record.tokens.input.total ?? 0;
    n.output[row] = record.tokens.output.total ?? 0;
    n.cacheRead[row] = record.tokens.input.cacheRead ?? 0;
    n.cacheWrite[row] = record.tokens.input.cacheWrite ?? 0;
    n.reasoning[row] = record.tokens.output.reasoning ?? 0;
    n.offset[row] = location.offset;
    const i = this.ints;
    i.day[row] = day;
    i.model[row] = this.intern(record.served.model ?? record.requested.model);
    i.provider[row] = this.intern(record.served.provider ?? '');
    i.source[row] = this.intern(record.source.detail === undefined ? record.source.kind : `${record.source.kind}:${record.source.detail}`);
    i.outcome[row] = this.intern(record.outcome);
    i.segment[row] = location.segment;
    i.length[row] = location.length;
    this.ids.set(record.id, row);
    this.dayTotals.set(day, (this.dayTotals.get(day) ?? 0) + charged);
    return true;
  }

  /** Spend on the local day containing `atMs`, in nanodollars. O(1). */
  spendOnDay(atMs: number): number {
    return this.dayTotals.get(localDayNumber(atMs)) ?? 0;
  }

  locate(id: string): LedgerRowLocation | undefined {
    const row = this.ids.get(id);
    return row === undefined ? undefined : this.locationOf(row);
  }

  locationOf(row: number): LedgerRowLocation {
    return { segment: this.ints.segment[row] ?? 0, offset: this.numeric.offset[row] ?? 0, length: this.ints.length[row] ?? 0 };
  }

  timeOf(row: number): number {
    return this.numeric.at[row] ?? 0;
  }

  /** Row numbers matching the filter, newest first. */
  select(filter: LedgerFilter): number[] {
    const matches: number[] = [];
    const want = (value: string | undefined): number | undefined => (value === undefined ? undefined : (this.stringIds.get(value) ?? -1));
    const model = want(filter.model);
    const provider = want(filter.provider);
    const outcome = want(filter.outcome);
    const source = filter.source;
    const from = filter.fromMs ?? -Infinity;
    const to = filter.toMs ?? Infinity;
    const { at } = this.numeric;
    const ints = this.ints;
    for (let row = 0; row < this.rows; row++) {
      const time = at[row] ?? 0;
      if (time < from || time >= to) continue;
      if (model !== undefined && ints.model[row] !== model) continue;
      if (provider !== undefined && ints.provider[row] !== provider) continue;
      if (outcome !== undefined && ints.outcome[row] !== outcome) continue;
      if (source !== undefined) {
        const key = this.strings[ints.source[row] ?? 0] ?? '';
        if (key !== source && !key.startsWith(`${source}:`)) continue;
      }
      matches.push(row);
    }
    return matches.sort((a, b) => (at[b] ?? 0) - (at[a] ?? 0) || b - a);
  }

  /** Spend and tokens grouped by `groupBy` over rows in [fromMs, toMs), largest spend first (days in date order). */
  aggregate(groupBy: LedgerGroupBy, fromMs = -Infinity, toMs = Infinity): LedgerAggregateRow[] {
    const groups = new Map<number, LedgerAggregateRow>();
    const n = this.numeric;
    const column = groupBy === 'day' ? this.ints.day : this.ints[groupBy];
    for (let row = 0; row < this.rows; row++) {
      const time = n.at[row] ?? 0;
      if (time < fromMs || time >= toMs) continue;
      const key = column[row] ?? 0;
      let group = groups.get(key);
      if (group === undefined) {
        group = { key: groupBy === 'day' ? formatDayNumber(key) : (this.strings[key] ?? ''), requests: 0, chargedNanos: 0, chargedUsd: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
        groups.set(key, group);
      }
      group.requests += 1;
      group.chargedNanos += n.charged[row] ?? 0;
      group.inputTokens += n.input[row] ?? 0;
      group.outputTokens += n.output[row] ?? 0;
      group.cacheReadTokens += n.cacheRead[row] ?? 0;
      group.cacheWriteTokens += n.cacheWrite[row] ?? 0;
      group.reasoningTokens += n.reasoning[row] ?? 0;
    }
    const out = [...groups.values()];
    for (const group of out) {
      group.chargedUsd = group.chargedNanos / 1e9;
    }
    return groupBy === 'day' ? out.sort((a, b) => a.key.localeCompare(b.key)) : out.sort((a, b) => b.chargedNanos - a.chargedNanos || a.key.localeCompare(b.key));
  }

  private dayOf(atMs: number): number {
    const cache = this.dayCache;
    if (atMs >= cache.startMs && atMs < cache.endMs) {
      return cache.day;
    }
    const date = new Date(atMs);
    // Local midnights, not 24 h steps: a day with a DST change is 23 or 25 hours long.
    const startMs = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
    const endMs = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
    this.dayCache = { startMs, endMs, day: localDayNumber(atMs) };
    return this.dayCache.day;
  }

  private intern(value: string): number {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  private grow(capacity: number): void {
    for (const name of NUMERIC_COLUMNS) {
      const next = new Float64Array(capacity);
      if (this.numeric[name]) next.set(this.numeric[name]);
      this.numeric[name] = next;
    }
    for (const name of INT_COLUMNS) {
      const next = new Int32Array(capacity);
      if (this.ints[name]) next.set(this.ints[name]);
      this.ints[name] = next;
    }
    this.capacity = capacity;
  }
}

/** The local calendar day of an instant as 20260314: sortable, and the key of "today". */
function localDayNumber(atMs: number): number {
  const date = new Date(atMs);
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate();
}

function formatDayNumber(day: number): string {
  const text = String(day);
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}
