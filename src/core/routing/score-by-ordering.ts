import type { PromptAnalysis } from './route-plan';
import type { RouteOrdering } from './route-ordering';
import { sortScoreOf, sortSecondaryOf, strategyScoreOf, strategySecondaryOf, type RankKey } from './score-endpoint';

/** An ordering whose rank key the figures give (a priority list is matched on names instead). */
export type FigureOrdering = Exclude<RouteOrdering, { kind: 'priority' }>;

/** The rank key under the ordering, from the figures (NaN: unknown), written into `out`. */
export function rankKeyOf(
  ordering: FigureOrdering,
  tier: number,
  reasoning: boolean,
  costUsd: number,
  ttftMs: number,
  throughput: number,
  errorRate: number,
  outputTokens: number,
  out: RankKey,
): void {
  out.score = rankScoreOf(ordering, tier, reasoning, costUsd, ttftMs, throughput, errorRate, outputTokens);
  out.secondary = rankSecondaryOf(ordering, tier, costUsd);
}

/** `RankKey.score` under the ordering, from the figures (NaN: unknown). */
export function rankScoreOf(
  ordering: FigureOrdering,
  tier: number,
  reasoning: boolean,
  costUsd: number,
  ttftMs: number,
  throughput: number,
  errorRate: number,
  outputTokens: number,
): number {
  // Ifs rather than a switch, as in strategyScoreOf: the score stays an unboxed double.
  if (ordering.kind === 'strategy') {
    return strategyScoreOf(ordering.strategy, tier, costUsd, ttftMs, throughput, errorRate, outputTokens);
  }
  if (ordering.kind === 'sort') {
    return sortScoreOf(ordering.by, costUsd, ttftMs, throughput);
  }
  return autoScoreOf(tier, reasoning, ordering.analysis);
}

/** `RankKey.secondary` under the ordering, from the figures (NaN: unknown). */
export function rankSecondaryOf(ordering: FigureOrdering, tier: number, costUsd: number): number {
  if (ordering.kind === 'strategy') {
    return strategySecondaryOf(ordering.strategy, tier, costUsd);
  }
  if (ordering.kind === 'sort') {
    return sortSecondaryOf(ordering.by, costUsd);
  }
  // auto: cost breaks ties, so the cap and the price decide among equals.
  return Number.isNaN(costUsd) ? Number.POSITIVE_INFINITY : costUsd;
}

/**
 * The auto router's score: models whose tier meets the need first, closest to it first (a
 * tier-1 model for a tier-2 task is wasted money), then weaker models strongest first; a
 * reasoning or math task prefers reasoning models. Cost is the secondary key.
 */
export function autoScoreOf(modelTier: number, reasoning: boolean, analysis: { desiredTier: number; taskType: PromptAnalysis['taskType'] }): number {
  const tier = Number.isNaN(modelTier) ? 3 : modelTier;
  let score = tier <= analysis.desiredTier ? analysis.desiredTier - tier : 10 + (tier - analysis.desiredTier);
  if ((analysis.taskType === 'reasoning' || analysis.taskType === 'math') && !reasoning) {
    score += 0.5;
  }
  return score;
}
