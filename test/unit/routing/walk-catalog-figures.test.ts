import assert from 'node:assert/strict';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import { analysePrompt } from '../../../src/core/routing/analyse-prompt';
import { checkEndpoint, checkModelGlobs, checkProvider, type EligibilityRules } from '../../../src/core/routing/check-endpoint';
import { compileGlobs } from '../../../src/core/routing/compile-globs';
import { estimateEndpointCost } from '../../../src/core/routing/estimate-endpoint-cost';
import { indexCatalog, META_COLUMNS, META_POSITION, parameterMaskOf, type IndexedEndpoint } from '../../../src/core/routing/index-catalog';
import type { EndpointLiveStats, MetricsSnapshot } from '../../../src/core/routing/metrics-snapshot';
import { planRoute } from '../../../src/core/routing/plan-route';
import { profileRequest } from '../../../src/core/routing/profile-request';
import { autoScoreOf } from '../../../src/core/routing/score-by-ordering';
import { estimateSeconds, resolvePerformance } from '../../../src/core/routing/score-endpoint';
import { compileFigureScreen, screenRow } from '../../../src/core/routing/screen-endpoint-figures';
import { tabulateFigureBlocks } from '../../../src/core/routing/tabulate-figure-blocks';
import { blockPassesScreen } from '../../../src/core/routing/walk-catalog-figures';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { buildSyntheticCatalog, seeded } from '../../support/build-synthetic-catalog';

/**
 * The synthetic catalog with what makes the screen and the bounds work: unknown prices, fees and
 * long-context prices (never cleared by the screen), other service tiers, small windows and
 * output limits, models without a tier or with reasoning, endpoints without published stats.
 */
function variedCatalog(): CatalogModel[] {
  let counter = 0;
  return buildSyntheticCatalog(seeded(31)).map((model, position) => ({
    ...model,
    tier: position % 17 === 0 ? undefined : model.tier,
    reasoning: position % 5 === 0 ? true : undefined,
    endpoints: model.endpoints.map((endpoint) => {
      counter++;
      const varied = { ...endpoint, pricing: { ...endpoint.pricing } };
      if (counter % 19 === 0) varied.pricing.output = undefined;
      if (counter % 23 === 0) varied.pricing.request = '0.001';
      if (counter % 29 === 0) varied.pricing.overrides = [{ minPromptTokens: 1_000, input: String(Number(endpoint.pricing.input) * 2) }];
      if (counter % 31 === 0) varied.serviceTier = 'flex';
      if (counter % 9 === 0) varied.maxOutputTokens = 2_048;
      if (counter % 13 === 0) varied.stats = undefined;
      return varied;
    }),
  }));
}

const VARIED = variedCatalog();
/** Nothing irregular: whole providers pass the screen at once. */
const PLAIN = buildSyntheticCatalog(seeded(37));
/** Twenty prices a tenth of a percent apart: ties and near-ties everywhere, which only exact bounds get right. */
const CLOSE = buildSyntheticCatalog(seeded(41)).map((model, position) => ({
  ...model,
  endpoints: model.endpoints.map((endpoint, offset) => {
    const input = (1 + ((position * 7 + offset * 3) % 20) / 1000) / 1e6;
    return { ...endpoint, pricing: { input: String(input), output: String(input * 4) } };
  }),
}));
const KEYS = new Set(['openai', 'anthropic', 'google', 'groq', 'openrouter', 'together']);
const DENY = ['xai/*', '*/model-4?'];

/**
 * Live figures for a fifth of the endpoints (every one with `uniformTtft`: then the speed bound,
 * the lowest TTFT of a provider, is every row's own, and a bound any tighter would lose a row),
 * and a few open circuits.
 */
function randomMetrics(random: () => number, catalog: readonly CatalogModel[], uniformTtft: boolean): MetricsSnapshot {
  const endpoints = new Map<string, EndpointLiveStats>();
  const openCircuits = new Set<string>();
  for (const endpoint of indexCatalog(catalog).endpoints) {
    const roll = random();
    if (uniformTtft || roll < 0.2) {
      const ttft = uniformTtft ? 300 : 100 + random() * 2_000;
      // With one TTFT, twenty throughputs: scores tie exactly, and only a bound that lets ties through keeps the right one.
      const throughput = uniformTtft ? 100 + Math.floor(random() * 20) * 10 : 20 + random() * 400;
      const window = { samples: 20, errors: 1, errorRate: 0.05, ttftMs: { p50: ttft, p75: ttft, p90: ttft, p99: ttft }, throughput: { p50: throughput, p75: throughput, p90: throughput, p99: throughput } };
      endpoints.set(endpoint.key, { recent: window, hour: window });
    } else if (roll > 0.995) {
      openCircuits.add(endpoint.key);
    }
  }
  return { endpoints, openCircuits };
}

function randomChat(random: () => number): ChatRequest {
  const words = 'Refactor this function step by step and explain the trade-offs of each design. '.repeat(1 + Math.floor(random() ** 3 * 4_000));
  const roll = random();
  return {
    messages: [{ role: 'user', content: [{ type: 'text', text: words }, ...(roll < 0.2 ? [{ type: 'image' as const, source: { kind: 'url' as const, url: 'https://example.com/a.png' }, mediaType: 'image/png' }] : [])] }],
    maxOutputTokens: roll < 0.3 ? undefined : Math.floor(random() * 20_000) + 1,
    tools: roll > 0.8 ? [{ name: 'read', description: 'Reads a file', inputSchema: { type: 'object' } }] : undefined,
  };
}

/**
 * The plan of a catalog-wide route computed the plain way: every endpoint through the full
 * checks, every eligible one scored, all of them sorted. What the figures, blocks and orders
 * settle must come out the same.
 */
function bruteForce(catalog: readonly CatalogModel[], route: 'cheapest' | 'fastest' | 'auto', chat: ChatRequest, capUsd: number | undefined, metrics: MetricsSnapshot): { targets: string[]; eligibleCount: number } {
  const INDEX = indexCatalog(catalog);
  const profile = profileRequest(chat);
  const open = new Uint8Array(INDEX.endpoints.length);
  for (const endpoint of INDEX.endpoints) {
    if (metrics.openCircuits?.has(endpoint.key) === true) open[endpoint.position] = 1;
  }
  const rules: EligibilityRules = {
    available: KEYS,
    allowProviders: undefined,
    only: undefined,
    ignore: undefined,
    allowModels: undefined,
    denyModels: compileGlobs(DENY),
    openCircuits: open,
    zdrRequiredBy: undefined,
    denyDataCollection: false,
    quantizations: undefined,
    maxPrice: undefined,
    costCapUsd: capUsd,
    allowUnpriced: false,
  };
  const hard = profile.capabilities.map((parameter) => ({ parameter, mask: parameterMaskOf(INDEX, parameter.anyOf) }));
  const analysis = analysePrompt(chat, profile.promptTokens);
  const ranked: Array<{ endpoint: IndexedEndpoint; score: number; secondary: number }> = [];
  for (const endpoint of INDEX.endpoints) {
    if (checkProvider(endpoint.providerLower, endpoint.endpoint.provider, rules) !== undefined || checkModelGlobs(endpoint, rules) !== undefined) {
      continue;
    }
    const cost = estimateEndpointCost(endpoint, profile.promptTokens, profile.outputTokens, profile.images);
    if (checkEndpoint(endpoint, profile, rules, undefined, hard, cost) !== undefined) {
      continue;
    }
    const costOrInfinity = cost ?? Number.POSITIVE_INFINITY;
    const tier = endpoint.tier ?? 5;
    if (route === 'cheapest') {
      ranked.push({ endpoint, score: costOrInfinity, secondary: tier });
    } else if (route === 'fastest') {
      ranked.push({ endpoint, score: estimateSeconds(resolvePerformance(endpoint, metrics), profile.outputTokens), secondary: costOrInfinity });
    } else {
      ranked.push({ endpoint, score: autoScoreOf(endpoint.tier ?? Number.NaN, endpoint.reasoning, analysis), secondary: costOrInfinity });
    }
  }
  const compare = (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1);
  ranked.sort((a, b) => compare(a.score, b.score) || compare(a.secondary, b.secondary) || a.endpoint.position - b.endpoint.position);
  return { targets: ranked.slice(0, 5).map(({ endpoint }) => `${endpoint.model.id}@${endpoint.endpoint.provider}`), eligibleCount: ranked.length };
}

describe('catalog-wide walk over the figures', () => {
  for (const [name, catalog, uniformTtft] of [['varied catalog', VARIED, false], ['plain catalog, one TTFT', PLAIN, true], ['close prices', CLOSE, false]] as const) {
    it(`keeps the targets and counts the eligible endpoints that ranking every endpoint would (${name})`, () => {
      const random = seeded(4);
      for (let request = 0; request < 60; request++) {
        const chat = randomChat(random);
        const capUsd = [undefined, 0.5, 0.02, 0.002][Math.floor(random() * 4)];
        const metrics = randomMetrics(random, catalog, uniformTtft);
        for (const route of ['cheapest', 'fastest', 'auto'] as const) {
          const expected = bruteForce(catalog, route, chat, capUsd, metrics);
          const plan = (() => {
            try {
              return planRoute({ model: `perpetuo/${route}`, chat }, catalog, KEYS, { strategy: 'balanced', maxCostPerRequestUsd: capUsd, denyModels: DENY }, metrics);
            } catch {
              return undefined;
            }
          })();
          const where = `request ${request}, ${route}, ${profileRequest(chat).promptTokens} prompt tokens, cap ${capUsd}`;
          assert.deepEqual(plan?.targets.map((target) => `${target.modelId}@${target.provider}`) ?? [], expected.targets, where);
          assert.equal(plan?.eligibleCount ?? 0, expected.eligibleCount, where);
        }
      }
    });
  }

  it('clears a block only when the screen clears every row of it', () => {
    const INDEX = indexCatalog(VARIED);
    const random = seeded(8);
    const { meta, prices } = INDEX.figures;
    for (const [size, blocks] of [['blocks', tabulateFigureBlocks(INDEX)], ['provider blocks', tabulateFigureBlocks(INDEX, Number.POSITIVE_INFINITY)]] as const) {
      let cleared = 0;
      for (let request = 0; request < 30; request++) {
        const chat = randomChat(random);
        const profile = profileRequest(chat);
        const hard = profile.capabilities.map((parameter) => ({ parameter, mask: parameterMaskOf(INDEX, parameter.anyOf) }));
        const rules = { quantizations: undefined, maxPrice: undefined, zdrRequiredBy: undefined, denyDataCollection: false, costCapUsd: [undefined, 0.5, 0.02][request % 3] } as EligibilityRules;
        const screen = compileFigureScreen(rules, profile, hard);
        assert.ok(screen !== undefined);
        for (let block = 0; block < blocks.rows.length - 1; block++) {
          if (!blockPassesScreen(blocks, block, screen)) continue;
          cleared++;
          for (let row = blocks.rows[block] ?? 0; row < (blocks.rows[block + 1] ?? 0); row++) {
            const cost = screenRow(meta, prices, row, screen.requiredFlags, screen.needed, screen.requestedMaxOutput, screen.parameterMasks, screen.promptTokens, screen.outputTokens, screen.costLimit, undefined);
            assert.ok(!Number.isNaN(cost), `request ${request}: block ${block} cleared, row ${row} (position ${meta[row * META_COLUMNS + META_POSITION]}) is not`);
          }
        }
      }
      // Every provider of this catalog has a row the screen leaves to the full checks.
      assert.equal(cleared > 0, size === 'blocks', size);
    }
  });
});

