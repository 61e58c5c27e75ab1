import { createHash } from 'node:crypto';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import { loadBundledCatalog } from '../../../src/core/catalog/load-bundled-catalog';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import type { EndpointLiveStats, MetricsSnapshot } from '../../../src/core/routing/metrics-snapshot';
import { planRoute } from '../../../src/core/routing/plan-route';
import type { ProviderPreferences } from '../../../src/core/routing/provider-preferences';
import type { RoutePlan } from '../../../src/core/routing/route-plan';
import type { RoutingPolicy } from '../../../src/core/routing/routing-policy';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { buildSyntheticCatalog, buildSyntheticMetrics, seeded } from '../../support/build-synthetic-catalog';
import { CATALOG as TEST_CATALOG } from './test-catalog';

/**
 * The golden table of the planner: a broad grid of requests, policies, strategies, variants and
 * provider{} preferences over four catalogs (the unit tests' small one, the bundled snapshot,
 * the benchmark's synthetic 500 models, and a varied copy of it with service tiers, unpriced
 * endpoints, long-context prices and fees). Each row's whole plan is pinned: targets and the
 * user's line in the clear, the rest (every rejection with its detail, in order) by a hash of
 * the plan's JSON, which is what the decision log writes.
 */

/** One row of the table. */
export interface GoldenCase {
  name: string;
  run: () => RoutePlan;
}

/** What the golden file keeps of a plan (or of the error planning threw). */
export type GoldenOutcome =
  | {
      targets: string[];
      explanation: string;
      eligibleCount: number;
      rejected: number;
      reasons: Record<string, number>;
      scope: RoutePlan['scope'];
      sha256: string;
    }
  | { error: string; message: string; sha256: string };

/** A plan's record in the golden file. */
export function summarisePlan(plan: RoutePlan): GoldenOutcome {
  const reasons: Record<string, number> = {};
  for (const candidate of plan.rejected) {
    reasons[candidate.reason] = (reasons[candidate.reason] ?? 0) + 1;
  }
  return {
    targets: plan.targets.map((target) => `${target.modelId}@${target.provider} ${target.estimatedCostUsd ?? 'unpriced'} | ${target.why}`),
    explanation: plan.explanation,
    eligibleCount: plan.eligibleCount,
    rejected: plan.rejected.length,
    reasons,
    scope: plan.scope,
    sha256: sha256(JSON.stringify(plan)),
  };
}

/** An error's record: kind, the start of its message, and a hash of all of it. */
export function summariseError(error: unknown): GoldenOutcome {
  if (!(error instanceof PerpetuoError)) {
    throw error;
  }
  return { error: error.kind, message: error.message.slice(0, 300), sha256: sha256(error.message) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Fixture {
  name: string;
  models: CatalogModel[];
  keys: ReadonlySet<string>;
  metrics: MetricsSnapshot;
  /** Named models to plan for, as `id` strings (variants added by the grid). */
  named: string[];
  /** Provider slugs for provider{} rows: two with keys, one without. */
  slugs: [string, string, string];
}

const text = (body: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: body }] }], ...extra });

/** The requests of the grid: plain, code, tools, JSON schema, an image, a long prompt, every parameter. */
const CHATS: Record<string, ChatRequest> = {
  hello: text('Say hello.'),
  code: {
    messages: [
      { role: 'system', content: 'You are a helpful coding assistant.' },
      { role: 'user', content: [{ type: 'text', text: 'Refactor this function to use async/await:\n```ts\nfunction load(id) { return fetchUser(id).then((user) => save(user)); }\n```' }] },
    ],
    maxOutputTokens: 2_000,
  },
  tools: text('What is the weather in Paris? Think step by step about which tool to use.', {
    tools: [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
  }),
  json: text('Extract all person names from this text as json: Alice met Bob in Paris.', {
    responseFormat: { type: 'json', schema: { type: 'object', properties: { names: { type: 'array', items: { type: 'string' } } } } },
  }),
  image: {
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, mediaType: 'image/png' },
        ],
      },
    ],
  },
  long: text(`Summarize the key points of this design document, with its security and performance trade-offs. ${'The service shards requests by tenant and replicates each shard three times. '.repeat(3_000)}`, {
    maxOutputTokens: 8_000,
  }),
  parameters: text('Prove that there are infinitely many primes.', { temperature: 0.2, topP: 0.9, seed: 7, stop: ['END'], maxOutputTokens: 4_000, reasoningEffort: 'high', toolChoice: 'auto' }),
};

/** Metrics for the first `count` models' endpoints: some with a thin 5-minute window, some with TTFT only. */
function metricsFor(models: readonly CatalogModel[], count: number, seed: number, openCircuit: string | undefined): MetricsSnapshot {
  const random = seeded(seed);
  const endpoints = new Map<string, EndpointLiveStats>();
  models.slice(0, count).forEach((model, position) => {
    for (const endpoint of model.endpoints) {
      const ttft = 150 + random() * 1_500;
      const throughput = 30 + random() * 250;
      const full = {
        samples: 40,
        errors: Math.floor(random() * 4),
        errorRate: 0,
        ttftMs: { p50: ttft, p75: ttft * 1.3, p90: ttft * 1.8, p99: ttft * 3 },
        throughput: { p50: throughput, p75: throughput * 0.9, p90: throughput * 0.7, p99: throughput * 0.4 },
      };
      full.errorRate = full.errors / full.samples;
      const thin = { samples: 3, errors: 0, errorRate: 0, ttftMs: full.ttftMs };
      const ttftOnly = { samples: 12, errors: 0, errorRate: 0, ttftMs: full.ttftMs };
      const shape = position % 3;
      endpoints.set(`${endpoint.provider}/${endpoint.upstreamModelId}`, shape === 0 ? { recent: full, hour: full } : shape === 1 ? { recent: thin, hour: full } : { recent: ttftOnly, hour: ttftOnly });
    }
  });
  return { endpoints, openCircuits: new Set(openCircuit === undefined ? [] : [openCircuit]) };
}

/**
 * The synthetic catalog with what it lacks: flex, priority and free tiers, unpriced endpoints,
 * long-context prices, request and image fees, models without a tier, reasoning models,
 * trains-on-prompts policies, small windows and output limits, other output modalities.
 */
function varyCatalog(models: readonly CatalogModel[]): CatalogModel[] {
  let counter = 0;
  return models.map((model, modelPosition) => ({
    ...model,
    tier: modelPosition % 19 === 0 ? undefined : model.tier,
    reasoning: modelPosition % 4 === 0 ? true : undefined,
    endpoints: model.endpoints.map((endpoint) => {
      counter++;
      const varied = { ...endpoint, pricing: { ...endpoint.pricing }, dataPolicy: { ...endpoint.dataPolicy } };
      if (counter % 7 === 0) varied.serviceTier = 'flex';
      if (counter % 11 === 0) varied.serviceTier = 'priority';
      if (counter % 13 === 0) {
        varied.serviceTier = 'free';
        varied.pricing = { input: '0', output: '0' };
      }
      if (counter % 17 === 0) varied.pricing.input = undefined;
      if (counter % 23 === 0) varied.pricing.output = 'n/a';
      if (counter % 5 === 0) varied.pricing.overrides = [{ minPromptTokens: 50_000, input: String(Number(endpoint.pricing.input) * 2), output: String(Number(endpoint.pricing.output) * 1.5) }];
      if (counter % 9 === 0) varied.pricing.request = '0.002';
      if (counter % 6 === 0) varied.pricing.image = '0.0012';
      if (counter % 10 === 0) varied.dataPolicy = { retainsPrompts: true, trainsOnPrompts: true, zdr: false };
      if (counter % 15 === 0) varied.dataPolicy = {};
      if (counter % 8 === 0) varied.maxOutputTokens = 4_096;
      if (counter % 29 === 0) varied.contextLength = undefined;
      if (counter % 31 === 0) varied.outputModalities = ['image'];
      if (counter % 37 === 0) varied.outputModalities = ['text', 'image'];
      if (counter % 12 === 0) varied.supportedParameters = [...endpoint.supportedParameters, 'reasoning', 'structured_outputs', 'seed', 'top_p', 'stop', 'tool_choice'];
      if (counter % 14 === 0) varied.quantization = 'bf16';
      if (counter % 16 === 0) varied.stats = undefined;
      return varied;
    }),
  }));
}

function fixtures(): Fixture[] {
  const random = seeded(42);
  const synthetic = buildSyntheticCatalog(random);
  const syntheticMetrics = buildSyntheticMetrics(synthetic, random);
  const varied = varyCatalog(synthetic);
  const bundled = loadBundledCatalog().snapshot.models;
  const bundledProviders = new Set(bundled.flatMap((model) => model.endpoints.map((endpoint) => endpoint.provider)));
  bundledProviders.delete('xai');
  bundledProviders.delete('mistral');
  const bundledMulti = bundled.filter((model) => model.endpoints.length > 1).map((model) => model.id);
  const firstEndpoint = bundled[3]?.endpoints[0];
  return [
    {
      name: 'test',
      models: TEST_CATALOG,
      keys: new Set(['openai', 'azure', 'openrouter', 'anthropic', 'groq', 'deepinfra', 'together', 'fireworks', 'google']),
      metrics: metricsFor(TEST_CATALOG, 5, 7, 'azure/gpt-5-deploy'),
      named: ['openai/gpt-5', 'meta/llama-3.3-70b', 'anthropic/claude-sonnet-4.5', 'local/qwen-coder'],
      slugs: ['openai', 'openrouter', 'ollama'],
    },
    {
      name: 'bundled',
      models: bundled,
      keys: bundledProviders,
      metrics: metricsFor(bundled, 60, 11, firstEndpoint === undefined ? undefined : `${firstEndpoint.provider}/${firstEndpoint.upstreamModelId}`),
      named: [bundledMulti[0] ?? '', bundledMulti[Math.floor(bundledMulti.length / 2)] ?? '', bundled[bundled.length - 1]?.id ?? ''],
      slugs: ['openrouter', 'anthropic', 'xai'],
    },
    {
      name: 'synthetic',
      models: synthetic,
      keys: new Set(['openai', 'anthropic', 'google', 'groq', 'openrouter']),
      metrics: syntheticMetrics,
      named: ['anthropic/model-1', 'openai/model-8', 'google/model-250'],
      slugs: ['openrouter', 'anthropic', 'xai'],
    },
    {
      name: 'varied',
      models: varied,
      keys: new Set(['openai', 'anthropic', 'google', 'groq', 'openrouter', 'deepseek', 'together', 'fireworks']),
      metrics: metricsFor(varied, 120, 13, 'groq/openai-model-8'),
      named: ['anthropic/model-1', 'openai/model-8', 'xai/model-7', 'google/model-250'],
      slugs: ['openrouter', 'together', 'xai'],
    },
  ];
}

const ROUTES = ['perpetuo/cheapest', 'perpetuo/fastest', 'perpetuo/reliable', 'perpetuo/balanced', 'perpetuo/quality', 'perpetuo/default', 'perpetuo/auto', 'perpetuo/priority'];

/** Policies of the grid; `base` is the benchmark's. */
function policies(fixture: Fixture): Record<string, RoutingPolicy> {
  const [keyed, other] = fixture.slugs;
  return {
    base: { strategy: 'balanced', maxCostPerRequestUsd: 0.5, denyModels: ['xai/*'], priority: [`${keyed}/*`, '*/model-1*', other] },
    plain: { strategy: 'cheapest', priority: ['anthropic/*'] },
    capped: { strategy: 'fastest', maxCostPerRequestUsd: 0.004, maxFallbacks: 2, priority: ['openai'] },
    allowed: { strategy: 'quality', allowModels: ['openai/*', 'anthropic/*', `${other}/*`], allowProviders: [keyed, other, 'openai', 'anthropic'], maxFallbacks: 10, priority: ['OpenAI/*'] },
    zdr: { strategy: 'reliable', requireZdr: true, allowUnpriced: true, maxFallbacks: 0, priority: ['*'] },
    auto: { strategy: 'balanced', autoCandidates: ['anthropic/*', 'google/*', 'meta/*', 'openai/gpt-5*'], maxCostPerRequestUsd: 0.05, denyModels: ['*model-1?'], priority: ['google/*'] },
  };
}

/** provider{} preferences of the grid. */
function preferences(fixture: Fixture): Record<string, ProviderPreferences> {
  const [keyed, other, unkeyed] = fixture.slugs;
  return {
    order: { order: [other, keyed] },
    orderOnly: { order: [keyed], allow_fallbacks: false },
    noFallbacks: { allow_fallbacks: false },
    only: { only: [keyed, unkeyed] },
    ignore: { ignore: [keyed] },
    requireParameters: { require_parameters: true },
    dataCollection: { data_collection: 'deny' },
    zdr: { zdr: true },
    quantizations: { quantizations: ['fp8', 'unknown'] },
    sortPrice: { sort: 'price' },
    sortThroughput: { sort: { by: 'throughput', partition: 'none' } },
    sortLatency: { sort: { by: 'latency', partition: 'model' } },
    minThroughput: { preferred_min_throughput: 120 },
    maxLatency: { preferred_max_latency: { p50: 0.6, p90: 1.5 } },
    maxPrice: { max_price: { prompt: 6, completion: 30, request: 0.001, image: 0.001 } },
    everything: { order: [keyed], only: [keyed, other], max_price: { prompt: 10, completion: 50 }, preferred_min_throughput: { p75: 50 }, sort: 'latency', data_collection: 'deny' },
  };
}

/** Every row of the table, in a stable order. */
export function goldenCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const fixture of fixtures()) {
    const policyTable = policies(fixture);
    const preferenceTable = preferences(fixture);
    const add = (name: string, model: string, chat: ChatRequest, policy: RoutingPolicy, extra: { models?: string[]; provider?: ProviderPreferences; metrics?: MetricsSnapshot } = {}): void => {
      cases.push({
        name: `${fixture.name} · ${name}`,
        run: () => planRoute({ model, chat, models: extra.models, provider: extra.provider }, fixture.models, fixture.keys, policy, extra.metrics ?? fixture.metrics),
      });
    };
    // Every route × every request, under the benchmark's policy.
    for (const route of ROUTES) {
      for (const [chatName, chat] of Object.entries(CHATS)) {
        add(`${route} · ${chatName} · base`, route, chat, policyTable.base ?? { strategy: 'balanced' });
      }
    }
    // Every route × every policy, for the code request, and without live metrics.
    for (const route of ROUTES) {
      for (const [policyName, policy] of Object.entries(policyTable)) {
        if (policyName === 'base') {
          continue; // in the grid above
        }
        add(`${route} · code · ${policyName}`, route, CHATS.code ?? text(''), policy);
      }
      add(`${route} · hello · base · no metrics`, route, CHATS.hello ?? text(''), policyTable.base ?? { strategy: 'balanced' }, { metrics: { endpoints: new Map() } });
    }
    // Three routes × every provider{} row, with models[] for one of them.
    for (const route of ['perpetuo/cheapest', 'perpetuo/fastest', 'perpetuo/auto']) {
      for (const [preferenceName, provider] of Object.entries(preferenceTable)) {
        add(`${route} · tools · plain · ${preferenceName}`, route, CHATS.tools ?? text(''), policyTable.plain ?? { strategy: 'cheapest' }, { provider });
      }
      add(`${route} · code · base · models[]`, route, CHATS.code ?? text(''), policyTable.base ?? { strategy: 'balanced' }, { models: fixture.named.slice(1) });
    }
    // Named models × variants × requests, and × provider{} rows with models[] fallbacks.
    for (const named of fixture.named) {
      for (const variant of ['', ':free', ':floor', ':nitro', ':thinking']) {
        for (const chatName of ['hello', 'image', 'parameters']) {
          add(`${named}${variant} · ${chatName} · base`, `${named}${variant}`, CHATS[chatName] ?? text(''), policyTable.base ?? { strategy: 'balanced' });
        }
      }
      for (const [preferenceName, provider] of Object.entries(preferenceTable)) {
        add(`${named} · json · plain · ${preferenceName} · models[]`, named, CHATS.json ?? text(''), policyTable.plain ?? { strategy: 'cheapest' }, { provider, models: fixture.named.filter((other) => other !== named) });
      }
      for (const [policyName, policy] of Object.entries(policyTable)) {
        add(`${named} · long · ${policyName}`, named, CHATS.long ?? text(''), policy);
      }
    }
    // Errors: an unknown model, variant, route and provider, and a route nothing can serve.
    add('unknown model', 'nobody/nothing', CHATS.hello ?? text(''), policyTable.base ?? { strategy: 'balanced' });
    add('unknown variant', `${fixture.named[0] ?? ''}:online`, CHATS.hello ?? text(''), policyTable.base ?? { strategy: 'balanced' });
    add('unknown route', 'perpetuo/smartest', CHATS.hello ?? text(''), policyTable.base ?? { strategy: 'balanced' });
    add('unknown provider', 'perpetuo/cheapest', CHATS.hello ?? text(''), policyTable.base ?? { strategy: 'balanced' }, { provider: { order: ['nosuchprovider'] } });
    add('nothing eligible', 'perpetuo/cheapest', CHATS.long ?? text(''), { strategy: 'cheapest', maxCostPerRequestUsd: 0.000001 });
  }
  return cases;
}
