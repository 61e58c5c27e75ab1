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
  /** At the first slot of each run: the lowest TTFT (ms) of its rows with a figure known; Infinity when none has one. */
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
    }
    rows.sort((a, b) => sortKeyOf(ttftMs, throughput, b) - sortKeyOf(ttftMs, throughput, a) || a - b);
    rows.forEach((row, offset) => place(order, row, first + offset, sortKeyOf(ttftMs, throughput, row)));
    boundRun(order, first, ttftMs, throughput);
  }
  return order;
}

/** Moves `row` to its place after its figures changed, and bounds its run again. */
export function moveRowBySpeed(order: SpeedOrder, row: number, ttftMs: Float64Array, throughput: Float64Array): void {
  const key = sortKeyOf(ttftMs, throughput, row);
  const first = order.runStart[row] ?? 0;
  const end = order.runEnd[row] ?? 0;
  let slot = order.slots[row] ?? 0;
  // One step of an insertion sort: the rest of the run is in order.
  while (slot > first && comesBefore(key, row, order.throughput[slot - 1] ?? 0, order.rows[slot - 1] ?? 0)) {
    place(order, order.rows[slot - 1] ?? 0, slot, order.throughput[slot - 1] ?? 0);
    slot--;
  }
  while (slot < end - 1 && comesBefore(order.throughput[slot + 1] ?? 0, order.rows[slot + 1] ?? 0, key, row)) {
    place(order, order.rows[slot + 1] ?? 0, slot, order.throughput[slot + 1] ?? 0);
    slot++;
  }
  place(order, row, slot, key);
  boundRun(order, first, ttftMs, throughput);
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

function sortKeyOf(ttftMs: Float64Array, throughput: Float64Array, row: number): number {
  const ttft = ttftMs[row] ?? Number.NaN;
  const speed = throughput[row] ?? Number.NaN;
  return Number.isNaN(ttft) && Number.isNaN(speed) ? 0 : assumedThroughputOf(speed);
}

function boundRun(order: SpeedOrder, first: number, ttftMs: Float64Array, throughput: Float64Array): void {
  let lowest = Number.POSITIVE_INFINITY;
  for (let row = first; row < (order.runEnd[first] ?? first); row++) {
    const ttft = ttftMs[row] ?? Number.NaN;
    if (!Number.isNaN(ttft) || !Number.isNaN(throughput[row] ?? Number.NaN)) {
      lowest = Math.min(lowest, assumedTtftOf(ttft));
    }
  }
  order.lowestTtft[first] = lowest;
}
