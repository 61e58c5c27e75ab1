import assert from 'node:assert/strict';
import { indexCatalog, FLAG_IRREGULAR, META_COLUMNS, META_CONTEXT, META_FLAGS, META_MAX_OUTPUT, META_PARAMETERS, META_POSITION, type CatalogIndex } from '../../../src/core/routing/index-catalog';
import { screenRow } from '../../../src/core/routing/screen-endpoint-figures';
import { BLOCK_ROWS, blocksAnySetByPosition, countSetByBlock, tabulateFigureBlocks, type FigureBlocks } from '../../../src/core/routing/tabulate-figure-blocks';
import { buildSyntheticCatalog, seeded } from '../../support/build-synthetic-catalog';
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
    for (const [size, rowsPerBlock] of [['blocks of BLOCK_ROWS', BLOCK_ROWS], ['one block per provider', Number.POSITIVE_INFINITY]] as const) {
      describe(`${name} catalog, ${size}`, () => {
        const blocks = tabulateFigureBlocks(index, rowsPerBlock);
        const { meta, prices } = index.figures;
        const providerOfRow = (row: number): string => index.endpoints[meta[row * META_COLUMNS + META_POSITION] ?? -1]?.providerLower ?? '?';

        it('covers every row once, in order, in blocks that never span two providers', () => {
          assert.equal(blocks.rows[0], 0);
          assert.equal(blocks.rows[blocks.rows.length - 1], index.endpoints.length);
          for (let block = 0; block < blocks.rows.length - 1; block++) {
            const from = blocks.rows[block] ?? 0;
            const to = blocks.rows[block + 1] ?? 0;
            assert.ok(to > from && to - from <= rowsPerBlock, `block ${block}: rows ${from}–${to}`);
            for (let row = from; row < to; row++) {
              assert.equal(providerOfRow(row), providerOfRow(from), `block ${block} spans two providers at row ${row}`);
            }
          }
          for (const [provider, first] of blocks.firstBlock) {
            assert.equal(blocks.rows[first], index.figures.start.get(provider), provider);
            assert.equal(providerOfRow(blocks.rows[first] ?? 0), provider);
          }
          assert.equal(blocks.firstBlock.size, index.byProvider.size);
          if (rowsPerBlock === Number.POSITIVE_INFINITY) {
            assert.equal(blocks.rows.length - 1, index.byProvider.size, 'one block per provider');
          }
        });

        it('bounds every row of a block, and tightly: flags, parameters, limits and highest prices', () => {
          const expected = new Map<number, { flagsAll: number; flagsAny: number; parametersAll: number; minContext: number; minMaxOutput: number; input: number; output: number }>();
          eachRow(blocks, (block, row) => {
            const at = row * META_COLUMNS;
            const flags = meta[at + META_FLAGS] ?? 0;
            const input = prices[row * 2] ?? Number.NaN;
            const output = prices[row * 2 + 1] ?? Number.NaN;
            const seen = expected.get(block) ?? { flagsAll: -1, flagsAny: 0, parametersAll: -1, minContext: Infinity, minMaxOutput: Infinity, input: -Infinity, output: -Infinity };
            seen.flagsAll &= flags;
            seen.flagsAny |= flags | (Number.isNaN(input) || Number.isNaN(output) ? FLAG_IRREGULAR : 0);
            seen.parametersAll &= meta[at + META_PARAMETERS] ?? 0;
            seen.minContext = Math.min(seen.minContext, meta[at + META_CONTEXT] ?? 0);
            seen.minMaxOutput = Math.min(seen.minMaxOutput, meta[at + META_MAX_OUTPUT] ?? 0);
            seen.input = Math.max(seen.input, input);
            seen.output = Math.max(seen.output, output);
            expected.set(block, seen);
          });
          for (const [block, seen] of expected) {
            const where = `block ${block}`;
            assert.equal(blocks.flagsAll[block], seen.flagsAll, `${where}: flagsAll`);
            assert.equal(blocks.flagsAny[block], seen.flagsAny, `${where}: flagsAny`);
            assert.equal(blocks.parametersAll[block], seen.parametersAll, `${where}: parametersAll`);
            assert.equal(blocks.minContext[block], seen.minContext, `${where}: minContext`);
            assert.equal(blocks.minMaxOutput[block], seen.minMaxOutput, `${where}: minMaxOutput`);
            if ((seen.flagsAny & FLAG_IRREGULAR) === 0) {
              assert.equal(blocks.highestPrices[block * 2], seen.input, `${where}: highest input price`);
              assert.equal(blocks.highestPrices[block * 2 + 1], seen.output, `${where}: highest output price`);
            }
          }
        });

        it('never prices a row the screen clears above its block\'s highest cost', () => {
          const random = seeded(5);
          for (let request = 0; request < 20; request++) {
            const promptTokens = Math.floor(random() * 200_000);
            const outputTokens = Math.floor(random() * 30_000);
            eachRow(blocks, (block, row) => {
              const cost = screenRow(meta, prices, row, 0, 0, Number.NEGATIVE_INFINITY, new Int32Array(0), promptTokens, outputTokens, Number.POSITIVE_INFINITY, undefined);
              if (Number.isNaN(cost)) {
                return;
              }
              const highest = promptTokens * (blocks.highestPrices[block * 2] ?? Number.NaN) + outputTokens * (blocks.highestPrices[block * 2 + 1] ?? Number.NaN);
              assert.ok(cost <= highest, `block ${block}, row ${row}: ${cost} above ${highest}`);
            });
          }
        });

        it('counts or flags rows per block as a row-by-row walk does', () => {
          const random = seeded(9);
          const rowFlags = Uint8Array.from({ length: index.endpoints.length }, () => (random() < 0.3 ? 1 : 0));
          const byPosition = Uint8Array.from({ length: index.endpoints.length }, () => (random() < 0.02 ? 1 : 0));
          const expectedCounts = new Int32Array(blocks.rows.length - 1);
          const expectedAny = new Uint8Array(blocks.rows.length - 1);
          eachRow(blocks, (block, row) => {
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
  }
});
