import { planRoute } from '../../../src/core/routing/plan-route';
import type { MetricsSnapshot } from '../../../src/core/routing/metrics-snapshot';
import type { ProviderPreferences } from '../../../src/core/routing/provider-preferences';
import type { RoutePlan } from '../../../src/core/routing/route-plan';
import type { RoutingPolicy } from '../../../src/core/routing/routing-policy';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { chat, policy as makePolicy } from './build-test-catalog';
import { ALL_PROVIDERS, CATALOG } from './test-catalog';

/** Options of one table row; everything defaults to the test catalog, every key, cheapest, no metrics. */
export interface PlanOptions {
  chat?: ChatRequest;
  models?: string[];
  provider?: ProviderPreferences;
  policy?: Partial<RoutingPolicy>;
  providers?: string[];
  metrics?: MetricsSnapshot;
}

export function plan(requested: string, options: PlanOptions = {}): RoutePlan {
  return planRoute(
    { model: requested, chat: options.chat ?? chat('Say hello.'), models: options.models, provider: options.provider },
    CATALOG,
    options.providers === undefined ? ALL_PROVIDERS : new Set(options.providers),
    makePolicy(options.policy),
    options.metrics ?? { endpoints: new Map() },
  );
}

/** Targets as `model@provider`, in order. */
export function order(result: RoutePlan): string[] {
  return result.targets.map((target) => `${target.modelId}@${target.provider}`);
}

/** Rejections as `model@provider:reason`, leaving out `no-key` ones (tests restrict keys to narrow the catalog). */
export function rejections(result: RoutePlan): string[] {
  return result.rejected.filter((candidate) => candidate.reason !== 'no-key').map((candidate) => `${candidate.modelId}@${candidate.provider}:${candidate.reason}`);
}

/** Runs `action`, expecting a PerpetuoError, and returns it. */
export function expectError(action: () => unknown): { kind: string; message: string; statusCode?: number } {
  try {
    action();
  } catch (error) {
    return error as { kind: string; message: string };
  }
  throw new Error('expected an error');
}
