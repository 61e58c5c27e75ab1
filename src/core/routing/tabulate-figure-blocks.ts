import {
  FLAG_IRREGULAR,
  FLAG_REASONING,
  META_COLUMNS,
  META_CONTEXT,
  META_FLAGS,
  META_MAX_OUTPUT,
  META_PARAMETERS,
  META_POSITION,
  META_TIER,
  type CatalogIndex,
} from './index-catalog';
import { ASSUMED_THROUGHPUT, ASSUMED_TTFT_MS } from './score-endpoint';

/**
 * Rows per block. Small, because a block is passed over whole only when none of its rows can
 * rank among a plan's best few: with eight rows, most blocks of a catalog-wide route hold none.
 */
export const BLOCK_ROWS = 8;

/**
 * Bounds of the figures of every block of `BLOCK_ROWS` consecutive rows (blocks never span two
 * providers), so that a catalog-wide plan can settle a whole block from its bounds: count it as
 * eligible when even its worst row passes the screen, and skip ranking it when even its best
 * row cannot beat the last kept target. Request-independent: computed once per catalog.
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
  /** Four per block: lowest input, lowest output, highest input and highest output USD per token. */
  readonly prices: Float64Array;
  /** Bit `1 << {@link tierKindOf}` of each kind of model (tier, reasoning) in the block. */
  readonly tierKinds: Int32Array;
  /** First block of each lower-cased provider. */
  readonly firstBlock: ReadonlyMap<string, number>;
}

/** The number of a kind of model: tier 0 (none) to 4, reasoning or not. Its bit in `FigureBlocks.tierKinds` is `1 << kind`. */
export function tierKindOf(tier: number, reasoning: boolean): number {
  return tier * 2 + (reasoning ? 1 : 0);
}

/** Kinds in `FigureBlocks.tierKinds`: five tiers (none, 1–4), each with and without reasoning. */
export const TIER_KINDS = 10;

/** The blocks of a catalog's figures; the caller keeps them with the catalog's index. */
export function tabulateFigureBlocks(index: CatalogIndex): FigureBlocks {
  const { meta, prices, start } = index.figures;
  const starts: number[] = [];
  const firstBlock = new Map<string, number>();
  let end = 0;
  // Providers' rows are consecutive, in this order: each block ends where the next begins.
  for (const [provider, endpoints] of index.byProvider) {
    const first = start.get(provider) ?? 0;
    firstBlock.set(provider, starts.length);
    for (let row = first; row < first + endpoints.length; row += BLOCK_ROWS) {
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
    prices: new Float64Array(blockCount * 4),
    tierKinds: new Int32Array(blockCount),
    firstBlock,
  };
  for (let block = 0; block < blockCount; block++) {
    let flagsAll = -1;
    let flagsAny = 0;
    let parametersAll = -1;
    let minContext = Number.MAX_SAFE_INTEGER;
    let minMaxOutput = Number.MAX_SAFE_INTEGER;
    let minInput = Number.POSITIVE_INFINITY;
    let minOutput = Number.POSITIVE_INFINITY;
    let maxInput = Number.NEGATIVE_INFINITY;
    let maxOutput = Number.NEGATIVE_INFINITY;
    let tierKinds = 0;
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
      minInput = Math.min(minInput, input);
      minOutput = Math.min(minOutput, output);
      maxInput = Math.max(maxInput, input);
      maxOutput = Math.max(maxOutput, output);
      tierKinds |= 1 << tierKindOf(meta[at + META_TIER] ?? 0, (flags & FLAG_REASONING) !== 0);
    }
    blocks.flagsAll[block] = flagsAll;
    blocks.flagsAny[block] = flagsAny;
    blocks.parametersAll[block] = parametersAll;
    blocks.minContext[block] = minContext;
    blocks.minMaxOutput[block] = minMaxOutput;
    blocks.prices.set([minInput, minOutput, maxInput, maxOutput], block * 4);
    blocks.tierKinds[block] = tierKinds;
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

/**
 * Two per block: the lowest TTFT and the highest throughput of its rows as `estimateSecondsOf`
 * reads them (an unknown one assumed, as it assumes it), over the rows where one is known; a
 * block with none known gets NaN, as its rows take infinitely long. From these, no row of the
 * block answers faster than `ttft / 1000 + outputTokens / throughput`.
 */
export function blockSpeedBounds(blocks: FigureBlocks, ttftMs: Float64Array, throughput: Float64Array): Float64Array {
  const count = blocks.rows.length - 1;
  const bounds = new Float64Array(count * 2);
  for (let block = 0; block < count; block++) {
    boundBlockSpeed(blocks, block, ttftMs, throughput, bounds);
  }
  return bounds;
}

/** Computes again one block's entries of {@link blockSpeedBounds}, after figures of its rows changed. */
export function boundBlockSpeed(blocks: FigureBlocks, block: number, ttftMs: Float64Array, throughput: Float64Array, bounds: Float64Array): void {
  let minTtft = Number.POSITIVE_INFINITY;
  let maxSpeed = 0;
  let known = false;
  for (let row = blocks.rows[block] ?? 0; row < (blocks.rows[block + 1] ?? 0); row++) {
    const ttft = ttftMs[row] ?? Number.NaN;
    const speed = throughput[row] ?? Number.NaN;
    if (Number.isNaN(ttft) && Number.isNaN(speed)) {
      continue;
    }
    known = true;
    minTtft = Math.min(minTtft, Number.isNaN(ttft) ? ASSUMED_TTFT_MS : ttft);
    maxSpeed = Math.max(maxSpeed, speed > 0 ? speed : ASSUMED_THROUGHPUT);
  }
  bounds[block * 2] = known ? minTtft : Number.NaN;
  bounds[block * 2 + 1] = known ? maxSpeed : Number.NaN;
}

/** The block holding `row`: blocks' first rows ascend, so a binary search over them. */
export function blockOfRow(blocks: FigureBlocks, row: number): number {
  let low = 0;
  let high = blocks.rows.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((blocks.rows[middle] ?? 0) <= row) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}
