import assert from 'node:assert/strict';
import { indexCatalog, FLAG_IRREGULAR, FLAG_REASONING, META_COLUMNS, META_CONTEXT, META_FLAGS, META_MAX_OUTPUT, META_PARAMETERS, META_POSITION, META_TIER, type CatalogIndex } from '../../../src/core/routing/index-catalog';
import { performanceByPosition, estimateSecondsOf } from '../../../src/core/routing/score-endpoint';
import { screenRow } from '../../../src/core/routing/screen-endpoint-figures';
import {
  BLOCK_ROWS,
  blockOfRow,
  blockSpeedBounds,
  blocksAnySetByPosition,
  countSetByBlock,
  tabulateFigureBlocks,
  tierKindOf,
  type FigureBlocks,
} from '../../../src/core/routing/tabulate-figure-blocks';
import { buildSyntheticCatalog, buildSyntheticMetrics, seeded } from '../../support/build-synthetic-catalog';
import { CATALOG } from './test-catalog';

const synthetic = buildSyntheticCatalog(seeded(11));
/** The synthetic catalog (2,000 endpoints, 12 providers) and the hand-written one (irregular prices, odd limits, few rows per provider). */
const INDEXES: Array<[string, CatalogIndex]> = [
  ['synthetic', indexCatalog(synthetic)],
  ['test', indexCatalog(CATALOG)],
];

/** Calls `check(block, row)` for every row of every block. */
function eachRow(blocks: FigureBlocks, check: (block: number, row: number) => void): void {
  for (let block = 0; block < blocks.rows.length - 1; block++) {
    for (let row = blocks.rows[block] ?? 0; row < (blocks.rows[block + 1] ?? 0); row++) {
      check(block, row);
    }
  }
}

describe('tabulateFigureBlocks', () => {
  for (const [name, index] of INDEXES) {
    describe(`${name} catalog`, () => {
      const blocks = tabulateFigureBlocks(index);
      const { meta, prices } = index.figures;
      const providerOfRow = (row: number): string => index.endpoints[meta[row * META_COLUMNS + META_POSITION] ?? -1]?.providerLower ?? '?';

      it('covers every row once, in order, in blocks of at most BLOCK_ROWS that never span two providers', () => {
        assert.equal(blocks.rows[0], 0);
        assert.equal(blocks.rows[blocks.rows.length - 1], index.endpoints.length);
        for (let block = 0; block < blocks.rows.length - 1; block++) {
          const from = blocks.rows[block] ?? 0;
          const to = blocks.rows[block + 1] ?? 0;
          assert.ok(to > from && to - from <= BLOCK_ROWS, `block ${block}: rows ${from}–${to}`);
          for (let row = from; row < to; row++) {
            assert.equal(providerOfRow(row), providerOfRow(from), `block ${block} spans two providers at row ${row}`);
          }
        }
        for (const [provider, first] of blocks.firstBlock) {
          assert.equal(blocks.rows[first], index.figures.start.get(provider), provider);
          assert.equal(providerOfRow(blocks.rows[first] ?? 0), provider);
        }
        assert.equal(blocks.firstBlock.size, index.byProvider.size);
      });

      it('bounds every row of a block: flags, parameters, limits, prices and kinds of model', () => {
        eachRow(blocks, (block, row) => {
          const at = row * META_COLUMNS;
          const flags = meta[at + META_FLAGS] ?? 0;
          const input = prices[row * 2] ?? Number.NaN;
          const output = prices[row * 2 + 1] ?? Number.NaN;
          const where = `block ${block}, row ${row}`;
          assert.equal((blocks.flagsAll[block] ?? 0) & ~flags, 0, `${where}: flagsAll has a flag the row lacks`);
          assert.equal(flags & ~(blocks.flagsAny[block] ?? 0), 0, `${where}: flagsAny misses a flag of the row`);
          if (Number.isNaN(input) || Number.isNaN(output)) {
            assert.ok(((blocks.flagsAny[block] ?? 0) & FLAG_IRREGULAR) !== 0, `${where}: an unknown price must mark the block irregular`);
          } else {
            assert.ok((blocks.prices[block * 4] ?? Number.NaN) <= input && input <= (blocks.prices[block * 4 + 2] ?? Number.NaN), `${where}: input price`);
            assert.ok((blocks.prices[block * 4 + 1] ?? Number.NaN) <= output && output <= (blocks.prices[block * 4 + 3] ?? Number.NaN), `${where}: output price`);
          }
          assert.equal((blocks.parametersAll[block] ?? 0) & ~(meta[at + META_PARAMETERS] ?? 0), 0, `${where}: parametersAll`);
          assert.ok((blocks.minContext[block] ?? 0) <= (meta[at + META_CONTEXT] ?? 0), `${where}: minContext`);
          assert.ok((blocks.minMaxOutput[block] ?? 0) <= (meta[at + META_MAX_OUTPUT] ?? 0), `${where}: minMaxOutput`);
          const kind = tierKindOf(meta[at + META_TIER] ?? 0, (flags & FLAG_REASONING) !== 0);
          assert.ok(((blocks.tierKinds[block] ?? 0) & (1 << kind)) !== 0, `${where}: tierKinds misses kind ${kind}`);
        });
      });

      it('never skips a row the screen prices below the block\'s lowest cost, or clears one above its highest', () => {
        const random = seeded(5);
        for (let request = 0; request < 20; request++) {
          const promptTokens = Math.floor(random() * 200_000);
          const outputTokens = Math.floor(random() * 30_000);
          eachRow(blocks, (block, row) => {
            const cost = screenRow(meta, prices, row, 0, 0, Number.NEGATIVE_INFINITY, new Int32Array(0), promptTokens, outputTokens, Number.POSITIVE_INFINITY, undefined);
            if (Number.isNaN(cost)) {
              return;
            }
            const lowest = promptTokens * (blocks.prices[block * 4] ?? Number.NaN) + outputTokens * (blocks.prices[block * 4 + 1] ?? Number.NaN);
            const highest = promptTokens * (blocks.prices[block * 4 + 2] ?? Number.NaN) + outputTokens * (blocks.prices[block * 4 + 3] ?? Number.NaN);
            assert.ok(lowest <= cost && cost <= highest, `block ${block}, row ${row}: ${cost} outside ${lowest}…${highest}`);
          });
        }
      });

      it('bounds the fastest answer of any row: a block its speed bound skips holds no faster row', () => {
        const figures = performanceByPosition(index, buildSyntheticMetrics(synthetic, seeded(3)));
        const bounds = blockSpeedBounds(blocks, figures.ttftMs, figures.throughput);
        for (const outputTokens of [1, 500, 20_000]) {
          eachRow(blocks, (block, row) => {
            const seconds = estimateSecondsOf(figures.ttftMs[row] ?? Number.NaN, figures.throughput[row] ?? Number.NaN, outputTokens);
            const minTtft = bounds[block * 2] ?? Number.NaN;
            const fastest = Number.isNaN(minTtft) ? Number.POSITIVE_INFINITY : minTtft / 1000 + outputTokens / (bounds[block * 2 + 1] ?? Number.NaN);
            assert.ok(fastest <= seconds, `block ${block}, row ${row}, ${outputTokens} tokens: bound ${fastest} s, row ${seconds} s`);
          });
        }
      });

      it('finds the block of each row, and counts or flags rows per block as a row-by-row walk does', () => {
        const random = seeded(9);
        const rowFlags = Uint8Array.from({ length: index.endpoints.length }, () => (random() < 0.3 ? 1 : 0));
        const byPosition = Uint8Array.from({ length: index.endpoints.length }, () => (random() < 0.02 ? 1 : 0));
        const expectedCounts = new Int32Array(blocks.rows.length - 1);
        const expectedAny = new Uint8Array(blocks.rows.length - 1);
        eachRow(blocks, (block, row) => {
          assert.equal(blockOfRow(blocks, row), block, `row ${row}`);
          expectedCounts[block] = (expectedCounts[block] ?? 0) + (rowFlags[row] ?? 0);
          if (byPosition[meta[row * META_COLUMNS + META_POSITION] ?? 0] === 1) {
            expectedAny[block] = 1;
          }
        });
        assert.deepEqual(countSetByBlock(blocks, rowFlags), expectedCounts);
        assert.deepEqual(blocksAnySetByPosition(blocks, meta, byPosition), expectedAny);
      });
    });
  }
});
