/**
 * The route planner over a synthetic catalog of 500 models with 4 endpoints each (2,000
 * endpoints over 12 providers), the size of OpenRouter's catalog. Five requests a user makes:
 * a named model, a named model with fallbacks and provider{} preferences, and catalog-wide
 * routes (cheapest, fastest with live metrics, auto). Each call is timed on its own with
 * hrtime; the scenarios run interleaved in rounds after a warm-up, so JIT state and GC are
 * shared fairly. Goal: p50 ≤ 50 µs for each.
 *
 * Those five pass the same policy and snapshot objects every time. The engine does not: each
 * request takes `LiveMetrics.snapshot()`, adds a new set of open circuits, and overlays the
 * guardrail on the policy into a new object. The "production path" cases do exactly that inside
 * the timed call, once with no call finished between two plans and once with one recorded
 * before each plan (a user's sequential requests), so they show what a request pays.
 *
 * The planner is measured as it ships: bundled by esbuild, as `npm run build` bundles the
 * extension. Loaded from source through tsx, every cross-module call goes through a getter of
 * tsx's module shim, which roughly doubles the catalog-wide figures; that is the loader, not
 * the planner, and the extension never runs that way.
 */
import { loadavg } from 'node:os';
import type * as MapGuardrailModule from '../src/core/guardrails/map-guardrail-to-routing-policy';
import type * as MergeGuardrailsModule from '../src/core/guardrails/merge-guardrails';
import type * as LiveMetricsModule from '../src/core/routing/live-metrics';
import type * as PlanRouteModule from '../src/core/routing/plan-route';
import type { RouteRequest } from '../src/core/routing/route-request';
import type { RoutingPolicy } from '../src/core/routing/routing-policy';
import { buildSyntheticCatalog, buildSyntheticMetrics, seeded } from '../test/support/build-synthetic-catalog';
import type { BenchResult } from './bench-result';
import { loadShippedBundle } from './load-shipped-bundle';

const GOAL_P50_US = 50;
const ROUNDS = 40;
const CALLS_PER_ROUND = 100;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

type BundledRouter = Pick<typeof PlanRouteModule, 'planRoute'> &
  Pick<typeof LiveMetricsModule, 'LiveMetrics'> &
  Pick<typeof MapGuardrailModule, 'mapGuardrailToRoutingPolicy'> &
  Pick<typeof MergeGuardrailsModule, 'mergeGuardrails'>;

/** The planner and what the engine calls around it, in one bundle (one copy of each cache), the way the extension loads them. */
const loadBundledRouter = (): Promise<BundledRouter> =>
  loadShippedBundle<BundledRouter>('plan-route', [
    "export { planRoute } from './src/core/routing/plan-route';",
    "export { LiveMetrics } from './src/core/routing/live-metrics';",
    "export { mapGuardrailToRoutingPolicy } from './src/core/guardrails/map-guardrail-to-routing-policy';",
    "export { mergeGuardrails } from './src/core/guardrails/merge-guardrails';",
  ]);

export async function run(): Promise<BenchResult[]> {
  const { planRoute, LiveMetrics, mapGuardrailToRoutingPolicy, mergeGuardrails } = await loadBundledRouter();
  const random = seeded(42);
  const catalog = buildSyntheticCatalog(random);
  const metrics = buildSyntheticMetrics(catalog, random);
  const keys = new Set(['openai', 'anthropic', 'google', 'groq', 'openrouter']);
  const policy: RoutingPolicy = { strategy: 'balanced', maxCostPerRequestUsd: 0.5, denyModels: ['xai/*'] };
  const chat = {
    messages: [
      { role: 'system' as const, content: 'You are a helpful coding assistant.' },
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'Refactor this function to use async/await:\n```ts\nfunction load(id) { return fetchUser(id).then((user) => save(user)); }\n```' }] },
    ],
    maxOutputTokens: 2_000,
  };
  const requests: Array<{ name: string; request: RouteRequest }> = [
    { name: 'named model', request: { model: 'anthropic/model-1', chat } },
    {
      name: 'named model + models[] + provider{}',
      request: {
        model: 'anthropic/model-1',
        chat,
        models: ['openai/model-0', 'google/model-2'],
        provider: { order: ['openrouter', 'anthropic'], max_price: { prompt: 10, completion: 50 }, preferred_min_throughput: 50 },
      },
    },
    { name: 'perpetuo/cheapest over the catalog', request: { model: 'perpetuo/cheapest', chat } },
    { name: 'perpetuo/fastest over the catalog (live metrics)', request: { model: 'perpetuo/fastest', chat } },
    { name: 'perpetuo/auto over the catalog', request: { model: 'perpetuo/auto', chat } },
  ];

  const plan = (request: RouteRequest): number => planRoute(request, catalog, keys, policy, metrics).targets.length;

  // The production path: live metrics recorded over the last 20 minutes for the endpoints the
  // synthetic snapshot covers, on a clock that moves 5 ms per request; the policy the same as
  // above, but as the engine makes it: the user's policy overlaid with a merged guardrail.
  let now = 1_800_000_000_000;
  const live = new LiveMetrics({ clock: () => now });
  const measured = [...metrics.endpoints.keys()];
  for (const key of measured) {
    for (let sample = 0; sample < 40; sample++) {
      const ttftMs = 150 + random() * 1_500;
      live.record(key, { at: now - Math.floor(random() * 1_200_000), ok: random() > 0.025, ttftMs, durationMs: ttftMs + 2_000 + random() * 8_000, outputTokens: 500 });
    }
  }
  const userPolicy: RoutingPolicy = { strategy: 'balanced', maxCostPerRequestUsd: 0.5 };
  const guardrailLayers = [{ scope: 'global' as const, scopeKey: 'global', origin: 'settings', guardrail: { denyModels: ['xai/*'] } }];
  const planAsEngine = (request: RouteRequest): number => {
    now += 5;
    const enginePolicy = mapGuardrailToRoutingPolicy(mergeGuardrails(guardrailLayers, {}), { ...userPolicy });
    return planRoute(request, catalog, keys, enginePolicy, { ...live.snapshot(), openCircuits: new Set(['groq/openai-model-8']) }).targets.length;
  };
  let finished = 0;
  /** A call that finished since the last plan, as the engine records one after every request. */
  const recordCall = (): void => {
    const key = measured[finished++ % measured.length] ?? 'openai/openai-model-0';
    live.record(key, { at: now, ok: true, ttftMs: 400, durationMs: 3_000, outputTokens: 500 });
  };
  const fastest = { model: 'perpetuo/fastest', chat };
  const auto = { model: 'perpetuo/auto', chat };

  const scenarios: Array<{ name: string; call: () => number; before?: () => void }> = [
    ...requests.map(({ name, request }) => ({ name, call: () => plan(request) })),
    { name: 'production path: perpetuo/fastest, snapshot() + engine policy per call', call: () => planAsEngine(fastest) },
    { name: 'production path: perpetuo/auto, snapshot() + engine policy per call', call: () => planAsEngine(auto) },
    { name: 'production path: perpetuo/fastest, a call recorded before each plan', call: () => planAsEngine(fastest), before: recordCall },
  ];
  let sink = 0;
  for (const scenario of scenarios) {
    for (let warm = 0; warm < 2_000; warm++) {
      scenario.before?.();
      sink += scenario.call();
    }
  }
  const samples = scenarios.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    scenarios.forEach((scenario, index) => {
      for (let call = 0; call < CALLS_PER_ROUND; call++) {
        scenario.before?.();
        const start = process.hrtime.bigint();
        sink += scenario.call();
        samples[index]?.push(Number(process.hrtime.bigint() - start) / 1_000);
      }
    });
  }
  if (sink === 0) {
    throw new Error('the planner returned no targets');
  }
  const results: BenchResult[] = [];
  scenarios.forEach((scenario, index) => {
    const sorted = (samples[index] ?? []).sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    results.push({
      name: `planRoute p50: ${scenario.name}`,
      value: +p50.toFixed(1),
      unit: 'µs',
      goal: `≤ ${GOAL_P50_US} µs`,
      pass: p50 <= GOAL_P50_US,
      notes: `${sorted.length} calls, 500 models × 4 endpoints, esbuild bundle; load average ${loadavg()[0]?.toFixed(1)} when measured`,
    });
    results.push({ name: `planRoute p99: ${scenario.name}`, value: +percentile(sorted, 0.99).toFixed(1), unit: 'µs' });
  });
  return results;
}
