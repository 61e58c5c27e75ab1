import { formatUsd } from './format-usd';
import type { IndexedEndpoint } from './index-catalog';
import type { RequestProfile } from './profile-request';
import type { RouteOrdering } from './route-ordering';
import { ASSUMED_ERROR_RATE, balancedScore, estimateSeconds, type EndpointPerformance } from './score-endpoint';

/** The phrase of a target's `why`: the figures its ordering ranked it by. */
export function describeTargetRank(
  ordering: RouteOrdering,
  endpoint: IndexedEndpoint,
  costUsd: number | undefined,
  performance: EndpointPerformance,
  profile: RequestProfile,
  position: number,
): string {
  const cost = costUsd === undefined ? 'price unknown' : `est. ${formatUsd(costUsd)}`;
  const tier = endpoint.model.tier === undefined ? 'no tier' : `tier ${endpoint.model.tier}`;
  switch (ordering.kind) {
    case 'strategy':
      switch (ordering.strategy) {
        case 'cheapest':
          return `${position === 0 ? 'cheapest' : 'by price'}: ${cost}`;
        case 'fastest':
          return `${position === 0 ? 'fastest' : 'by speed'}: ${describeSpeed(performance, profile.outputTokens)}`;
        case 'reliable':
          return `${position === 0 ? 'most reliable' : 'by reliability'}: ${describeErrors(performance)}, ${cost}`;
        case 'quality':
          return `${position === 0 ? 'best quality' : 'by quality'}: ${tier}, ${cost}`;
        case 'balanced': {
          const score = balancedScore(endpoint, costUsd, performance, profile.outputTokens);
          return `balanced score ${score.toFixed(2)}: ${tier}, ${cost}, ${describeSpeed(performance, profile.outputTokens)}, ${describeErrors(performance)}`;
        }
      }
      break;
    case 'priority': {
      const index = ordering.matchers.findIndex(
        (matcher) => matcher.test(endpoint.model.id) || matcher.test(endpoint.key) || matcher.test(endpoint.endpoint.provider),
      );
      return index < 0 ? `not in your priority list, ${cost}` : `priority #${index + 1} ("${ordering.entries[index] ?? ''}"), ${cost}`;
    }
    case 'sort':
      switch (ordering.by) {
        case 'price':
          return `provider.sort price: ${cost}`;
        case 'throughput':
          return `provider.sort throughput: ${performance.throughput === undefined ? 'throughput unknown' : `${Math.round(performance.throughput)} tok/s (${performance.source})`}, ${cost}`;
        case 'latency':
          return `provider.sort latency: ${performance.ttftMs === undefined ? 'latency unknown' : `TTFT ${Math.round(performance.ttftMs)} ms (${performance.source})`}, ${cost}`;
      }
      break;
    case 'auto': {
      const analysis = ordering.analysis;
      const modelTier = endpoint.model.tier ?? 3;
      const fit = modelTier <= analysis.desiredTier ? `${tier} fits ${analysis.complexity} ${analysis.taskType}` : `${tier}, weaker than the tier ${analysis.desiredTier} wanted`;
      return `auto: ${fit}, ${cost}`;
    }
  }
  return cost;
}

function describeSpeed(performance: EndpointPerformance, outputTokens: number): string {
  const seconds = estimateSeconds(performance, outputTokens);
  if (!Number.isFinite(seconds)) {
    return 'speed unknown';
  }
  // Concatenated rather than joined from an array: this describes every target of a `fastest` plan.
  let figures = performance.source;
  if (performance.throughput !== undefined) figures = `${Math.round(performance.throughput)} tok/s, ${figures}`;
  if (performance.ttftMs !== undefined) figures = `TTFT ${Math.round(performance.ttftMs)} ms, ${figures}`;
  return `~${seconds.toFixed(1)} s (${figures})`;
}

function describeErrors(performance: EndpointPerformance): string {
  if (performance.errorRate === undefined) {
    return `error rate unknown (assumed ${(ASSUMED_ERROR_RATE * 100).toFixed(0)}%)`;
  }
  return `${(performance.errorRate * 100).toFixed(1)}% errors (${performance.source})`;
}
