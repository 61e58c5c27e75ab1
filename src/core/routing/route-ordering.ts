import type { ProviderSortBy } from './provider-preferences';
import type { PromptAnalysis } from './route-plan';
import type { RoutingStrategy } from './routing-policy';

/**
 * How one plan orders its eligible endpoints: a strategy, the user's priority list,
 * `provider.sort` (or a variant's implied sort), or the auto router's analysis.
 */
export type RouteOrdering =
  | { kind: 'strategy'; strategy: Exclude<RoutingStrategy, 'priority'> }
  | { kind: 'priority'; matchers: RegExp[]; entries: readonly string[] }
  | { kind: 'sort'; by: ProviderSortBy }
  | { kind: 'auto'; analysis: PromptAnalysis };
