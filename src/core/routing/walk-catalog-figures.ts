import { getOrCreate } from './get-or-create';
import { FLAG_IRREGULAR, FLAG_REASONING, META_COLUMNS, META_FLAGS, META_POSITION, META_TIER, type CatalogIndex, type IndexedEndpoint } from './index-catalog';
import { compareNumbers, compareParts, type Eligible } from './rank-eligible';
import { autoScoreOf, rankScoreOf, rankSecondaryOf, type FigureOrdering } from './score-by-ordering';
import { estimateSecondsOf, type PerformanceFigures, type RankKey } from './score-endpoint';
import { screenRow, type FigureScreen } from './screen-endpoint-figures';
import { sortRowsByPrice, tierKindOf, TIER_KINDS, type PriceOrder } from './sort-rows-by-price';
import { moveRowBySpeed, sortRowsBySpeed, type SpeedOrder } from './sort-rows-by-speed';
import type { FigureBlocks } from './tabulate-figure-blocks';

/**
 * What a catalog-wide plan's walk over the figures reads, and the plan's own steps for what the
 * figures cannot settle. Rows, blocks and provider blocks are those of `CatalogIndex.figures`.
 */
export interface CatalogWalk {
  index: CatalogIndex;
  /** By row: 1 when the policy's globs admit the endpoint. */
  inScope: Uint8Array;
  blocks: FigureBlocks;
  /** By block: its rows in scope. */
  inScopeByBlock: Int32Array;
  /** One block per provider. */
  providerBlocks: FigureBlocks;
  /** By provider block: its rows in scope. */
  inScopeByProvider: Int32Array;
  /** By block and by provider block: 1 when a row's circuit is open; undefined when none is. */
  openBlocks: Uint8Array | undefined;
  openProviders: Uint8Array | undefined;
  screen: FigureScreen | undefined;
  /** By catalog position: 1 when the endpoint's circuit is open. */
  openCircuits: Uint8Array | undefined;
  /** The ordering, when the figures may rank cleared endpoints: nothing but the ordering orders them. */
  ranking: FigureOrdering | undefined;
  /** Where the ranking's best rows are, and how to know that none is left; undefined: anywhere. */
  bound: RankBound | undefined;
  performances: PerformanceFigures | undefined;
  outputTokens: number;
  /** The targets kept so far, best first. */
  eligible: readonly Eligible[];
  limit: number;
  /** Where the walk writes the rank key `place` reads. */
  key: RankKey;
  /** The full checks, for an endpoint the screen could not clear; counts it if it is eligible. */
  consider: (endpoint: IndexedEndpoint) => void;
  /** For a cleared endpoint the figures cannot rank; counts it. */
  admit: (endpoint: IndexedEndpoint, costUsd: number) => void;
  /** For a cleared endpoint (already counted) that beats the last target; `key` holds its rank key. */
  place: (endpoint: IndexedEndpoint, costUsd: number, position: number) => void;
}

/**
 * Where a ranking's best rows are: in price order for a ranking by cost (`cheapest`, `sort:
 * price`) or by the auto router (kinds of model, then cost), in speed order for `fastest`; with
 * what bounds the rows left from each slot on. Other rankings mix too many figures to bound.
 */
export type RankBound =
  | { kind: 'cost'; order: PriceOrder }
  | {
      kind: 'auto';
      order: PriceOrder;
      /** By kind of model (see `tierKindOf`): its auto score. */
      scoreOfKind: Float64Array;
      /** By set of kinds (a `PriceOrder.tierKinds` entry): the lowest auto score among them. */
      lowestScoreByKinds: Float64Array;
    }
  | {
      kind: 'speed';
      order: SpeedOrder;
      /** By row: the performance figures the order follows. */
      ttftMs: Float64Array;
      throughput: Float64Array;
    };

/**
 * Walks one provider's rows in two passes. The first settles eligibility: a provider (or a
 * block of it) whose bounds pass the screen has all its rows in scope counted unread; other
 * rows are screened one by one, and what the screen cannot clear goes through `consider`, in row
 * order, so rejections come in catalog order. The second ranks the cleared rows, best first
 * where the ranking has a bound, and stops where no row left can beat the last kept target.
 * Without a ranking (provider.order, soft preferences, a priority list), one pass hands every
 * cleared row to `admit`. Returns how many rows it counted as eligible; `consider` and `admit`
 * count their own.
 */
export function walkProvider(walk: CatalogWalk, provider: string): number {
  const whole = walk.providerBlocks.firstBlock.get(provider) ?? 0;
  const from = walk.providerBlocks.rows[whole] ?? 0;
  const to = walk.providerBlocks.rows[whole + 1] ?? from;
  if (walk.ranking === undefined) {
    admitEveryRow(walk, from, to);
    return 0;
  }
  const cleared = screenProvider(walk, provider, whole, to);
  rankRows(walk, walk.ranking, from, to);
  return cleared;
}

/** The first pass: the rows in scope that the screen clears, counted; the others to `consider`. */
function screenProvider(walk: CatalogWalk, provider: string, whole: number, to: number): number {
  const screen = walk.screen;
  const inScopeRows = walk.inScopeByProvider[whole] ?? 0;
  if (screen === undefined || inScopeRows === 0) {
    return 0;
  }
  if (walk.openProviders?.[whole] !== 1 && blockPassesScreen(walk.providerBlocks, whole, screen)) {
    return inScopeRows;
  }
  const { blocks, inScopeByBlock, openBlocks } = walk;
  let cleared = 0;
  for (let block = blocks.firstBlock.get(provider) ?? 0; (blocks.rows[block] ?? to) < to; block++) {
    const rows = inScopeByBlock[block] ?? 0;
    if (rows === 0) {
      continue;
    }
    if (openBlocks?.[block] !== 1 && blockPassesScreen(blocks, block, screen)) {
      cleared += rows;
    } else {
      cleared += screenRows(walk, screen, blocks.rows[block] ?? to, blocks.rows[block + 1] ?? to);
    }
  }
  return cleared;
}

function screenRows(walk: CatalogWalk, screen: FigureScreen, from: number, to: number): number {
  const { meta, prices } = walk.index.figures;
  const { inScope, openCircuits, outputTokens } = walk;
  const { requiredFlags, needed, requestedMaxOutput, parameterMasks, promptTokens, costLimit } = screen;
  let cleared = 0;
  for (let row = from; row < to; row++) {
    if (inScope[row] !== 1) {
      continue;
    }
    const costUsd = screenRow(meta, prices, row, requiredFlags, needed, requestedMaxOutput, parameterMasks, promptTokens, outputTokens, costLimit, openCircuits);
    if (Number.isNaN(costUsd)) {
      walk.consider(endpointAt(walk.index, row));
    } else {
      cleared++;
    }
  }
  return cleared;
}

/** Without a ranking: every row in scope, in row order, to `consider` or (cleared) `admit`. */
function admitEveryRow(walk: CatalogWalk, from: number, to: number): void {
  const { meta, prices } = walk.index.figures;
  const { inScope, openCircuits, outputTokens, screen } = walk;
  for (let row = from; row < to; row++) {
    if (inScope[row] !== 1) {
      continue;
    }
    const costUsd =
      screen === undefined
        ? Number.NaN
        : screenRow(meta, prices, row, screen.requiredFlags, screen.needed, screen.requestedMaxOutput, screen.parameterMasks, screen.promptTokens, outputTokens, screen.costLimit, openCircuits);
    if (Number.isNaN(costUsd)) {
      walk.consider(endpointAt(walk.index, row));
    } else {
      walk.admit(endpointAt(walk.index, row), costUsd);
    }
  }
}

/**
 * The second pass: ranks the cleared rows of slots `from…to` from the figures, in the bound's
 * order (row order without one). A row that loses to the last of `limit` kept targets is dropped
 * after one comparison, and once the bound shows that no row left can beat it, the rest are not
 * read. Rows the screen does not clear were handed to `consider` by the first pass.
 */
function rankRows(walk: CatalogWalk, ranking: FigureOrdering, from: number, to: number): void {
  const screen = walk.screen;
  if (screen === undefined) {
    return;
  }
  const { meta, prices } = walk.index.figures;
  const { inScope, openCircuits, outputTokens, eligible, limit, key, bound } = walk;
  // The screen's numbers in locals: read from the object in the loop, each would be a load per row.
  const { requiredFlags, needed, requestedMaxOutput, parameterMasks, promptTokens, costLimit } = screen;
  const ttfts = walk.performances?.ttftMs;
  const throughputs = walk.performances?.throughput;
  const errorRates = walk.performances?.errorRate;
  const order = bound?.order.rows;
  let last = eligible.length >= limit ? eligible[eligible.length - 1] : undefined;
  for (let slot = from; slot < to; slot++) {
    const row = order === undefined ? slot : (order[slot] ?? slot);
    if (bound !== undefined && last !== undefined) {
      if (cannotBeat(bound, slot, from, promptTokens, outputTokens, last)) {
        return;
      }
      // Most rows visited lose on their score alone, which needs no screen.
      if (scoreOfRow(bound, meta, prices, row, promptTokens, outputTokens) > last.key.score) {
        continue;
      }
    }
    if (inScope[row] !== 1) {
      continue;
    }
    const costUsd = screenRow(meta, prices, row, requiredFlags, needed, requestedMaxOutput, parameterMasks, promptTokens, outputTokens, costLimit, openCircuits);
    if (Number.isNaN(costUsd)) {
      continue;
    }
    const at = row * META_COLUMNS;
    const tierFigure = meta[at + META_TIER] ?? 0;
    const tier = tierFigure === 0 ? Number.NaN : tierFigure;
    const reasoning = ((meta[at + META_FLAGS] ?? 0) & FLAG_REASONING) !== 0;
    const ttftMs = ttfts === undefined ? Number.NaN : (ttfts[row] ?? Number.NaN);
    const throughput = throughputs === undefined ? Number.NaN : (throughputs[row] ?? Number.NaN);
    const errorRate = errorRates === undefined ? Number.NaN : (errorRates[row] ?? Number.NaN);
    const score = rankScoreOf(ranking, tier, reasoning, costUsd, ttftMs, throughput, errorRate, outputTokens);
    const position = meta[at + META_POSITION] ?? 0;
    if (last !== undefined) {
      const versusLast = compareNumbers(score, last.key.score);
      if (versusLast > 0 || (versusLast === 0 && compareParts(0, 0, undefined, score, rankSecondaryOf(ranking, tier, costUsd), position, last) >= 0)) {
        continue;
      }
    }
    key.score = score;
    key.secondary = rankSecondaryOf(ranking, tier, costUsd);
    walk.place(endpointAt(walk.index, row), costUsd, position);
    last = eligible.length >= limit ? eligible[eligible.length - 1] : undefined;
  }
}

/**
 * The row's score under a bounded ranking, from the figures alone: for a row the screen clears,
 * exactly what `rankScoreOf` gives (the cost as the screen computes it; the speed as
 * `estimateSecondsOf` does; the auto score of its kind of model), so a row that scores above the
 * last target's loses without being screened. NaN for an unknown price, which never loses here.
 */
function scoreOfRow(bound: RankBound, meta: Int32Array, prices: Float64Array, row: number, promptTokens: number, outputTokens: number): number {
  if (bound.kind === 'speed') {
    return estimateSecondsOf(bound.ttftMs[row] ?? Number.NaN, bound.throughput[row] ?? Number.NaN, outputTokens);
  }
  if (bound.kind === 'auto') {
    const at = row * META_COLUMNS;
    return bound.scoreOfKind[tierKindOf(meta[at + META_TIER] ?? 0, ((meta[at + META_FLAGS] ?? 0) & FLAG_REASONING) !== 0)] ?? Number.NaN;
  }
  return promptTokens * (prices[row * 2] ?? Number.NaN) + outputTokens * (prices[row * 2 + 1] ?? Number.NaN);
}

/**
 * True when no row from `slot` to the end of its provider's run can rank before `last`. Each
 * bound is computed with the operations the row's own score uses, on figures no larger (or, for
 * throughput, no smaller): rounding is monotonic, so the bound never exceeds a score. A tie with
 * the last target's score may still win on the secondary key or the position: only a bound
 * strictly above it stops.
 */
function cannotBeat(bound: RankBound, slot: number, runStart: number, promptTokens: number, outputTokens: number, last: Eligible): boolean {
  if (bound.kind === 'speed') {
    const order = bound.order;
    // A throughput of 0 (no figure known) gives Infinity: every row left takes infinitely long.
    const fastest = (order.lowestTtft[runStart] ?? Number.NaN) / 1000 + outputTokens / (order.throughput[slot] ?? Number.NaN);
    return fastest > last.key.score;
  }
  const order = bound.order;
  const lowestCost = promptTokens * (order.lowestInput[slot] ?? Number.NaN) + outputTokens * (order.lowestOutput[slot] ?? Number.NaN);
  if (bound.kind === 'cost') {
    return lowestCost > last.key.score;
  }
  const lowest = bound.lowestScoreByKinds[order.tierKinds[slot] ?? 0] ?? Number.NEGATIVE_INFINITY;
  return lowest > last.key.score || (lowest === last.key.score && lowestCost > last.key.secondary);
}

/** The endpoint of a row of the figures. */
function endpointAt(index: CatalogIndex, row: number): IndexedEndpoint {
  return index.endpoints[index.figures.meta[row * META_COLUMNS + META_POSITION] ?? 0] as IndexedEndpoint;
}

/** The bound of a ranking over a catalog, when it has one; the orders are kept with the catalog and its figures. */
export function rankBoundOf(ranking: FigureOrdering, index: CatalogIndex, performances: PerformanceFigures | undefined): RankBound | undefined {
  if ((ranking.kind === 'strategy' && ranking.strategy === 'cheapest') || (ranking.kind === 'sort' && ranking.by === 'price')) {
    return { kind: 'cost', order: priceOrderOf(index) };
  }
  if (ranking.kind === 'auto') {
    const tables = autoScoreTables(ranking.analysis.desiredTier, ranking.analysis.taskType === 'reasoning' || ranking.analysis.taskType === 'math');
    return { kind: 'auto', order: priceOrderOf(index), scoreOfKind: tables.ofKind, lowestScoreByKinds: tables.lowestByKinds };
  }
  if (ranking.kind === 'strategy' && ranking.strategy === 'fastest' && performances !== undefined) {
    return { kind: 'speed', order: speedOrderOf(index, performances), ttftMs: performances.ttftMs, throughput: performances.throughput };
  }
  return undefined;
}

/** True when every row of the block certainly passes the screen: its bounds do. */
export function blockPassesScreen(blocks: FigureBlocks, block: number, screen: FigureScreen): boolean {
  const flagsAll = blocks.flagsAll[block] ?? 0;
  if ((flagsAll & screen.requiredFlags) !== screen.requiredFlags || ((blocks.flagsAny[block] ?? FLAG_IRREGULAR) & FLAG_IRREGULAR) !== 0) {
    return false;
  }
  if (screen.needed > (blocks.minContext[block] ?? 0) || screen.requestedMaxOutput > (blocks.minMaxOutput[block] ?? 0)) {
    return false;
  }
  const parametersAll = blocks.parametersAll[block] ?? 0;
  for (let index = 0; index < screen.parameterMasks.length; index++) {
    if ((parametersAll & (screen.parameterMasks[index] ?? 0)) === 0) {
      return false;
    }
  }
  // Rounding is monotonic: no row's cost, computed as the screen computes it, exceeds this one.
  const highest = screen.promptTokens * (blocks.highestPrices[block * 2] ?? Number.NaN) + screen.outputTokens * (blocks.highestPrices[block * 2 + 1] ?? Number.NaN);
  return highest <= screen.costLimit;
}

const priceOrders = new WeakMap<CatalogIndex, PriceOrder>();

function priceOrderOf(index: CatalogIndex): PriceOrder {
  return getOrCreate(priceOrders, index, sortRowsByPrice);
}

const speedOrders = new WeakMap<PerformanceFigures, { order: SpeedOrder; revision: number }>();

/**
 * {@link SpeedOrder} of a catalog's performance figures, kept with them. The figures are updated
 * in place from one snapshot to the next; the order follows their log of changed rows, so after a
 * call only that endpoint's rows move. Further behind than the log reaches, it is sorted again.
 */
function speedOrderOf(index: CatalogIndex, performances: PerformanceFigures): SpeedOrder {
  const kept = speedOrders.get(performances);
  const behind = kept === undefined ? Number.POSITIVE_INFINITY : performances.revision - kept.revision;
  if (kept === undefined || behind > performances.changedRows.length) {
    const order = sortRowsBySpeed(index, performances.ttftMs, performances.throughput);
    speedOrders.set(performances, { order, revision: performances.revision });
    return order;
  }
  const rows = performances.changedRows;
  for (let at = rows.length - behind; at < rows.length; at++) {
    moveRowBySpeed(kept.order, rows[at] ?? 0, performances.ttftMs, performances.throughput);
  }
  kept.revision = performances.revision;
  return kept.order;
}

/** The auto score of each kind of model, and the lowest of each set of kinds; one pair per desired tier and preference for reasoning, eight at most. */
const autoTables = new Map<string, { ofKind: Float64Array; lowestByKinds: Float64Array }>();

function autoScoreTables(desiredTier: number, prefersReasoning: boolean): { ofKind: Float64Array; lowestByKinds: Float64Array } {
  return getOrCreate(autoTables, `${desiredTier}${prefersReasoning ? 'r' : ''}`, () => {
    const analysis = { desiredTier, taskType: prefersReasoning ? 'reasoning' : 'chat' } as const;
    const ofKind = new Float64Array(TIER_KINDS);
    for (let tier = 0; tier <= 4; tier++) {
      for (const reasoning of [false, true]) {
        ofKind[tierKindOf(tier, reasoning)] = autoScoreOf(tier === 0 ? Number.NaN : tier, reasoning, analysis);
      }
    }
    const lowestByKinds = new Float64Array(1 << TIER_KINDS);
    for (let kinds = 0; kinds < lowestByKinds.length; kinds++) {
      let lowest = Number.POSITIVE_INFINITY;
      for (let kind = 0; kind < TIER_KINDS; kind++) {
        if ((kinds & (1 << kind)) !== 0) {
          lowest = Math.min(lowest, ofKind[kind] ?? Number.NEGATIVE_INFINITY);
        }
      }
      lowestByKinds[kinds] = lowest;
    }
    return { ofKind, lowestByKinds };
  });
}
