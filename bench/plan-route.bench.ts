/**
 * The route planner over a synthetic catalog of 500 models with 4 endpoints each (2,000
 * endpoints over 12 providers), the size of OpenRouter's catalog. Five requests a user makes:
 * a named model, a named model with fallbacks and provider{} preferences, and catalog-wide
 * routes (cheapest, fastest with live metrics, auto). Each call is timed on its own with
 * hrtime; the scenarios run interleaved in rounds after a warm-up, so JIT state and GC are
 * shared fairly. Goal: p50 ≤ 50 µs for each.
 *
 * The planner is measured as it ships: bundled by esbuild, as `npm run build` bundles the
 * extension. Loaded from source through tsx, every cross-module call goes through a getter of
 * tsx's module shim, which roughly doubles the catalog-wide figures; that is the loader, not
 * the planner, and the extension never runs that way.
 */
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as PlanRouteModule from '../src/core/routing/plan-route';
import type { RouteRequest } from '../src/core/routing/route-request';
import type { RoutingPolicy } from '../src/core/routing/routing-policy';
import { buildSyntheticCatalog, buildSyntheticMetrics, seeded } from '../test/support/build-synthetic-catalog';
import type { BenchResult } from './bench-result';

const GOAL_P50_US = 50;
const ROUNDS = 40;
const CALLS_PER_ROUND = 100;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The planner bundled by esbuild, the way the extension loads it. */
function loadBundledPlanner(): typeof PlanRouteModule.planRoute {
  const outfile = join(tmpdir(), `perpetuo-plan-route-bench-${process.pid}.cjs`);
  buildSync({ entryPoints: [join(__dirname, '../src/core/routing/plan-route.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'silent' });
  return (createRequire(__filename)(outfile) as typeof PlanRouteModule).planRoute;
}

export async function run(): Promise<BenchResult[]> {
  const planRoute = loadBundledPlanner();
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
  const scenarios: Array<{ name: string; request: RouteRequest }> = [
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
  let sink = 0;
  for (const scenario of scenarios) {
    for (let warm = 0; warm < 2_000; warm++) sink += plan(scenario.request);
  }
  const samples = scenarios.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    scenarios.forEach((scenario, index) => {
      for (let call = 0; call < CALLS_PER_ROUND; call++) {
        const start = process.hrtime.bigint();
        sink += plan(scenario.request);
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
