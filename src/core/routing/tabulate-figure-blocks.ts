import { FLAG_IRREGULAR, META_COLUMNS, META_CONTEXT, META_FLAGS, META_MAX_OUTPUT, META_PARAMETERS, META_POSITION, type CatalogIndex } from './index-catalog';

/**
 * Rows per block. Small, so that one row the screen cannot clear (an open circuit, a long-context
 * price) sends only its few neighbours through the row-by-row screen.
 */
export const BLOCK_ROWS = 8;

/**
 * Bounds of the figures of every block of consecutive rows (blocks never span two providers), so
 * that a catalog-wide plan can clear a whole block from its bounds: when even its worst row passes
 * the screen, its rows in scope are all eligible, and none is read. Request-independent: computed
 * once per catalog, in blocks of {@link BLOCK_ROWS} and in blocks of a whole provider.
 */
export interface FigureBlocks {
  /** First row of each block; one more entry holds one past the last row. */
  readonly rows: Int32Array;
  /** The flags every row of the block has. */
  readonly flagsAll: Int32Array;
  /** The flags some row has, with FLAG_IRREGULAR when a row's token price is unknown. */
  readonly flagsAny: Int32Array;
  /** The parameter bits every row has. */
  readonly parametersAll: Int32Array;
  readonly minContext: Int32Array;
  readonly minMaxOutput: Int32Array;
  /** Two per block: the highest input and the highest output USD per token. */
  readonly highestPrices: Float64Array;
  /** First block of each lower-cased provider. */
  readonly firstBlock: ReadonlyMap<string, number>;
}

/**
 * The blocks of a catalog's figures, of at most `rowsPerBlock` rows (Infinity: one block per
 * provider); the caller keeps them with the catalog's index.
 */
export function tabulateFigureBlocks(index: CatalogIndex, rowsPerBlock: number = BLOCK_ROWS): FigureBlocks {
  const { meta, prices, start } = index.figures;
  const starts: number[] = [];
  const firstBlock = new Map<string, number>();
  let end = 0;
  // Providers' rows are consecutive, in this order: each block ends where the next begins.
  for (const [provider, endpoints] of index.byProvider) {
    const first = start.get(provider) ?? 0;
    firstBlock.set(provider, starts.length);
    for (let row = first; row < first + endpoints.length; row += rowsPerBlock) {
      starts.push(row);
    }
    end = first + endpoints.length;
  }
  const blockCount = starts.length;
  const rows = Int32Array.from([...starts, end]);
  const blocks = {
    rows,
    flagsAll: new Int32Array(blockCount),
    flagsAny: new Int32Array(blockCount),
    parametersAll: new Int32Array(blockCount),
    minContext: new Int32Array(blockCount),
    minMaxOutput: new Int32Array(blockCount),
    highestPrices: new Float64Array(blockCount * 2),
    firstBlock,
  };
  for (let block = 0; block < blockCount; block++) {
    let flagsAll = -1;
    let flagsAny = 0;
    let parametersAll = -1;
    let minContext = Number.MAX_SAFE_INTEGER;
    let minMaxOutput = Number.MAX_SAFE_INTEGER;
    let maxInput = Number.NEGATIVE_INFINITY;
    let maxOutput = Number.NEGATIVE_INFINITY;
    for (let row = rows[block] ?? 0; row < (rows[block + 1] ?? 0); row++) {
      const at = row * META_COLUMNS;
      const flags = meta[at + META_FLAGS] ?? FLAG_IRREGULAR;
      const input = prices[row * 2] ?? Number.NaN;
      const output = prices[row * 2 + 1] ?? Number.NaN;
      flagsAll &= flags;
      flagsAny |= flags | (Number.isNaN(input) || Number.isNaN(output) ? FLAG_IRREGULAR : 0);
      parametersAll &= meta[at + META_PARAMETERS] ?? 0;
      minContext = Math.min(minContext, meta[at + META_CONTEXT] ?? 0);
      minMaxOutput = Math.min(minMaxOutput, meta[at + META_MAX_OUTPUT] ?? 0);
      maxInput = Math.max(maxInput, input);
      maxOutput = Math.max(maxOutput, output);
    }
    blocks.flagsAll[block] = flagsAll;
    blocks.flagsAny[block] = flagsAny;
    blocks.parametersAll[block] = parametersAll;
    blocks.minContext[block] = minContext;
    blocks.minMaxOutput[block] = minMaxOutput;
    blocks.highestPrices[block * 2] = maxInput;
    blocks.highestPrices[block * 2 + 1] = maxOutput;
  }
  return blocks;
}

/**
 * How many rows of each block are set in `rowFlags` (by row), as `inScope` of a catalog scope;
 * the caller keeps it with that scope. A block's bounds cover all its rows, so they hold for any
 * of them: a plan that settles a block from its bounds counts only the rows in scope.
 */
export function countSetByBlock(blocks: FigureBlocks, rowFlags: Uint8Array): Int32Array {
  const counts = new Int32Array(blocks.rows.length - 1);
  for (let block = 0; block < counts.length; block++) {
    for (let row = blocks.rows[block] ?? 0; row < (blocks.rows[block + 1] ?? 0); row++) {
      if (rowFlags[row] === 1) {
        counts[block] = (counts[block] ?? 0) + 1;
      }
    }
  }
  return counts;
}

/** 1 for each block with a row whose catalog position is set in `byPosition` (open circuits). */
export function blocksAnySetByPosition(blocks: FigureBlocks, meta: Int32Array, byPosition: Uint8Array): Uint8Array {
  const any = new Uint8Array(blocks.rows.length - 1);
  for (let block = 0; block < any.length; block++) {
    for (let row = blocks.rows[block] ?? 0; row < (blocks.rows[block + 1] ?? 0); row++) {
      if (byPosition[meta[row * META_COLUMNS + META_POSITION] ?? 0] === 1) {
        any[block] = 1;
        break;
      }
    }
  }
  return any;
}
