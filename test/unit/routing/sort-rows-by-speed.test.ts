import assert from 'node:assert/strict';
import { indexCatalog } from '../../../src/core/routing/index-catalog';
import { estimateSecondsOf } from '../../../src/core/routing/score-endpoint';
import { moveRowBySpeed, sortRowsBySpeed, type SpeedOrder } from '../../../src/core/routing/sort-rows-by-speed';
import { buildSyntheticCatalog, seeded } from '../../support/build-synthetic-catalog';

const index = indexCatalog(buildSyntheticCatalog(seeded(23)));
const count = index.endpoints.length;
const runs = [...index.byProvider].map(([provider, endpoints]) => {
  const start = index.figures.start.get(provider) ?? 0;
  return { provider, start, end: start + endpoints.length };
});

/** Figures by row with every case estimateSecondsOf distinguishes: both known, one known, none, a zero throughput. */
function randomFigures(random: () => number): { ttftMs: Float64Array; throughput: Float64Array } {
  const ttftMs = new Float64Array(count);
  const throughput = new Float64Array(count);
  for (let row = 0; row < count; row++) {
    setRandomFigures(random, ttftMs, throughput, row);
  }
  return { ttftMs, throughput };
}

function setRandomFigures(random: () => number, ttftMs: Float64Array, throughput: Float64Array, row: number): void {
  const shape = random();
  ttftMs[row] = shape < 0.1 ? Number.NaN : 100 + random() * 3_000;
  throughput[row] = shape > 0.9 ? Number.NaN : shape < 0.15 ? 0 : 10 + random() * 400;
  if (shape > 0.45 && shape < 0.5) {
    ttftMs[row] = Number.NaN;
    throughput[row] = Number.NaN;
  }
}

/** The order's contents as plain arrays, to compare two orders. */
function contents(order: SpeedOrder): unknown {
  return { rows: [...order.rows], throughput: [...order.throughput], slots: [...order.slots], ttft: [...order.ttft], lowestTtft: runs.map(({ start }) => order.lowestTtft[start]) };
}

function assertBoundsEveryRowLeft(order: SpeedOrder, ttftMs: Float64Array, throughput: Float64Array, where: string): void {
  for (const { provider, start, end } of runs) {
    let lowest = Number.POSITIVE_INFINITY;
    for (let row = start; row < end; row++) {
      if (!Number.isNaN(ttftMs[row] ?? Number.NaN) || !Number.isNaN(throughput[row] ?? Number.NaN)) {
        lowest = Math.min(lowest, Number.isNaN(ttftMs[row] ?? Number.NaN) ? 1_000 : (ttftMs[row] ?? 0));
      }
    }
    assert.equal(order.lowestTtft[start], lowest, `${where}, ${provider}: the lowest TTFT, exactly`);
    for (let slot = start; slot < end; slot++) {
      const row = order.rows[slot] ?? 0;
      assert.equal(order.slots[row], slot, `${where}, ${provider}: slot of row ${row}`);
      if (slot > start) {
        assert.ok((order.throughput[slot - 1] ?? 0) >= (order.throughput[slot] ?? 0), `${where}, ${provider}, slot ${slot}: highest throughput first`);
      }
      for (const outputTokens of [1, 700, 20_000]) {
        const bound = (order.lowestTtft[start] ?? Number.NaN) / 1000 + outputTokens / (order.throughput[slot] ?? Number.NaN);
        let fastestLeft = Number.POSITIVE_INFINITY;
        for (let later = slot; later < end; later++) {
          const laterRow = order.rows[later] ?? 0;
          fastestLeft = Math.min(fastestLeft, estimateSecondsOf(ttftMs[laterRow] ?? Number.NaN, throughput[laterRow] ?? Number.NaN, outputTokens));
        }
        assert.ok(bound <= fastestLeft, `${where}, ${provider}, slot ${slot}, ${outputTokens} tokens: bound ${bound} s above a row left at ${fastestLeft} s`);
      }
    }
  }
}

describe('sortRowsBySpeed', () => {
  it("holds each provider's rows in its own slots, highest throughput first, and bounds the answer time of every row from each slot on", () => {
    const { ttftMs, throughput } = randomFigures(seeded(1));
    const order = sortRowsBySpeed(index, ttftMs, throughput);
    for (const { provider, start, end } of runs) {
      assert.deepEqual([...order.rows.subarray(start, end)].sort((a, b) => a - b), Array.from({ length: end - start }, (_, offset) => start + offset), provider);
    }
    assertBoundsEveryRowLeft(order, ttftMs, throughput, 'sorted');
  });

  it('after rows change and move one by one, is the order a fresh sort gives', () => {
    const random = seeded(2);
    const { ttftMs, throughput } = randomFigures(random);
    const order = sortRowsBySpeed(index, ttftMs, throughput);
    for (let change = 0; change < 300; change++) {
      const row = Math.floor(random() * count);
      setRandomFigures(random, ttftMs, throughput, row);
      moveRowBySpeed(order, row, ttftMs, throughput);
      if (change % 50 === 49) {
        assert.deepEqual(contents(order), contents(sortRowsBySpeed(index, ttftMs, throughput)), `after change ${change}`);
        assertBoundsEveryRowLeft(order, ttftMs, throughput, `after change ${change}`);
      }
    }
  });
});
