import type { CatalogIndex } from './index-catalog';
import { assumedThroughputOf, assumedTtftOf } from './score-endpoint';

/**
 * The rows of each provider's run of a catalog's figures, highest throughput first, with the
 * lowest TTFT of each run: no row after a slot answers faster than that TTFT plus the output at
 * the slot's throughput. A catalog-wide `fastest` plan visits a provider's rows in this order and
 * stops where that bound loses to its last kept target. Throughput and TTFT are read as
 * `estimateSecondsOf` reads them (an unknown one assumed), so the bound holds to the bit.
 * It follows the live performance figures: after a call, {@link moveRowBySpeed} moves the rows
 * that changed, and only those.
 */
export interface SpeedOrder {
  /** By slot, a row of the figures; a provider whose rows are `start…start + n` has them in slots `start…start + n`. */
  readonly rows: Int32Array;
  /** By slot: the throughput its row is sorted by, 0 when neither of its figures is known (it takes infinitely long). */
  readonly throughput: Float64Array;
  /** By row: its slot. */
  readonly slots: Int32Array;
  /** By row: the first slot of its provider's run, and one past the last. */
  readonly runStart: Int32Array;
  readonly runEnd: Int32Array;
  /** By row: its TTFT (ms) as `estimateSecondsOf` reads it; Infinity when neither of its figures is known. */
  readonly ttft: Float64Array;
  /** At the first slot of each run: the lowest `ttft` of its rows. */
  readonly lowestTtft: Float64Array;
}

/** The speed order of the figures `ttftMs` and `throughput` (by row, NaN unknown) of a catalog. */
export function sortRowsBySpeed(index: CatalogIndex, ttftMs: Float64Array, throughput: Float64Array): SpeedOrder {
  const count = index.endpoints.length;
  const order: SpeedOrder = {
    rows: new Int32Array(count),
    throughput: new Float64Array(count),
    slots: new Int32Array(count),
    runStart: new Int32Array(count),
    runEnd: new Int32Array(count),
    ttft: new Float64Array(count),
    lowestTtft: new Float64Array(count),
  };
  for (const [provider, endpoints] of index.byProvider) {
    const first = index.figures.start.get(provider) ?? 0;
    const end = first + endpoints.length;
    const rows: number[] = [];
    for (let row = first; row < end; row++) {
      rows.push(row);
      order.runStart[row] = first;
      order.runEnd[row] = end;
      order.ttft[row] = ttftOf(ttftMs, throughput, row);
      // The sort key by row, for now: `place` moves it to the row's slot below.
      order.throughput[row] = sortKeyOf(ttftMs, throughput, row);
    }
    const keys = order.throughput.slice(first, end);
    rows.sort((a, b) => (keys[b - first] ?? 0) - (keys[a - first] ?? 0) || a - b);
    rows.forEach((row, offset) => place(order, row, first + offset, keys[row - first] ?? 0));
    boundRun(order, first);
  }
  return order;
}

/**
 * Moves `row` to its place after its figures changed, and bounds its run again: a binary search
 * of the rest of the run (in order) and one shift of the rows between, and a scan of the run only
 * when the row held its lowest TTFT and lost it.
 */
export function moveRowBySpeed(order: SpeedOrder, row: number, ttftMs: Float64Array, throughput: Float64Array): void {
  const key = sortKeyOf(ttftMs, throughput, row);
  const first = order.runStart[row] ?? 0;
  const end = order.runEnd[row] ?? 0;
  const from = order.slots[row] ?? 0;
  const { rows } = order;
  if (from > first && comesBefore(key, row, order.throughput[from - 1] ?? 0, rows[from - 1] ?? 0)) {
    // Up: to the first slot before `from` whose row it comes before.
    let low = first;
    let high = from - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (comesBefore(key, row, order.throughput[middle] ?? 0, rows[middle] ?? 0)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    rows.copyWithin(low + 1, low, from);
    order.throughput.copyWithin(low + 1, low, from);
    renumber(order, low + 1, from + 1);
    place(order, row, low, key);
  } else if (from < end - 1 && comesBefore(order.throughput[from + 1] ?? 0, rows[from + 1] ?? 0, key, row)) {
    // Down: to the last slot after `from` whose row comes before it.
    let low = from + 1;
    let high = end - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (comesBefore(order.throughput[middle] ?? 0, rows[middle] ?? 0, key, row)) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    rows.copyWithin(from, from + 1, low + 1);
    order.throughput.copyWithin(from, from + 1, low + 1);
    renumber(order, from, low);
    place(order, row, low, key);
  } else {
    place(order, row, from, key);
  }
  const ttft = ttftOf(ttftMs, throughput, row);
  const was = order.ttft[row] ?? Number.POSITIVE_INFINITY;
  order.ttft[row] = ttft;
  if (ttft <= (order.lowestTtft[first] ?? Number.POSITIVE_INFINITY)) {
    order.lowestTtft[first] = ttft;
  } else if (was === order.lowestTtft[first]) {
    boundRun(order, first);
  }
}

/** Higher throughput first; the lower row on a tie, so the order is the same however it was reached. */
function comesBefore(key: number, row: number, otherKey: number, otherRow: number): boolean {
  return key > otherKey || (key === otherKey && row < otherRow);
}

function place(order: SpeedOrder, row: number, slot: number, key: number): void {
  order.rows[slot] = row;
  order.throughput[slot] = key;
  order.slots[row] = slot;
}

/** Points `slots` of the rows now in slots `from…to` at them, after a shift. */
function renumber(order: SpeedOrder, from: number, to: number): void {
  for (let slot = from; slot < to; slot++) {
    order.slots[order.rows[slot] ?? 0] = slot;
  }
}

function sortKeyOf(ttftMs: Float64Array, throughput: Float64Array, row: number): number {
  const ttft = ttftMs[row] ?? Number.NaN;
  const speed = throughput[row] ?? Number.NaN;
  return Number.isNaN(ttft) && Number.isNaN(speed) ? 0 : assumedThroughputOf(speed);
}

/** The TTFT a row is bounded by: as `estimateSecondsOf` assumes it; Infinity when neither figure is known. */
function ttftOf(ttftMs: Float64Array, throughput: Float64Array, row: number): number {
  const ttft = ttftMs[row] ?? Number.NaN;
  return Number.isNaN(ttft) && Number.isNaN(throughput[row] ?? Number.NaN) ? Number.POSITIVE_INFINITY : assumedTtftOf(ttft);
}

function boundRun(order: SpeedOrder, first: number): void {
  let lowest = Number.POSITIVE_INFINITY;
  for (let row = first; row < (order.runEnd[first] ?? first); row++) {
    lowest = Math.min(lowest, order.ttft[row] ?? Number.POSITIVE_INFINITY);
  }
  order.lowestTtft[first] = lowest;
}
