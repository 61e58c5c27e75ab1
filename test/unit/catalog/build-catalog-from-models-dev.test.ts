import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalogFromModelsDev } from '../../../src/core/catalog/build-catalog-from-models-dev';
import { PerpetuoError } from '../../../src/core/errors';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/catalog/models-dev-mini.json'), 'utf8')) as Record<string, unknown>;
const providers = { anthropic: 'anthropic', openai: 'openai', google: 'google', openrouter: 'openrouter', groq: 'groq' };

function build() {
  return buildCatalogFromModelsDev(structuredClone(fixture), 'models-dev-mini.json', providers);
}

describe('buildCatalogFromModelsDev', () => {
  it('merges one model served directly and via OpenRouter into one entry, the dated snapshot as an alias', () => {
    const { snapshot } = build();
    const sonnet = snapshot.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5');
    assert.ok(sonnet);
    assert.deepEqual(
      sonnet.endpoints.map((e) => [e.provider, e.upstreamModelId]),
      [
        ['anthropic', 'claude-sonnet-4-5'],
        ['openrouter', 'anthropic/claude-sonnet-4.5'],
      ],
    );
    assert.deepEqual(sonnet.aliases, ['claude-sonnet-4-5-20250929']);
    assert.equal(sonnet.name, 'Claude Sonnet 4.5');
    assert.equal(sonnet.tier, 1);
  });

  it('converts per-million prices to exact per-token decimal strings', () => {
    const { snapshot } = build();
    const direct = snapshot.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5')?.endpoints[0];
    assert.deepEqual(direct?.pricing, { input: '0.000003', output: '0.000015', cacheRead: '0.0000003', cacheWrite: '0.00000375', cacheWrite1h: '0.000006', webSearch: '0.01' });
  });

  it("gives Anthropic's own endpoints a one-hour cache-write price of twice the input price, and no other endpoint one", () => {
    const { snapshot } = build();
    const endpoints = snapshot.models.flatMap((model) => model.endpoints);
    const anthropic = endpoints.filter((endpoint) => endpoint.provider === 'anthropic');
    assert.ok(anthropic.length > 0);
    for (const endpoint of anthropic) {
      assert.equal(Number(endpoint.pricing.cacheWrite1h), Number(endpoint.pricing.input) * 2, endpoint.upstreamModelId);
    }
    assert.deepEqual(endpoints.filter((endpoint) => endpoint.provider !== 'anthropic' && endpoint.pricing.cacheWrite1h !== undefined), []);
  });

  it("prices Anthropic's web search on Anthropic's own endpoints only: $10 per 1,000 searches", () => {
    const endpoints = build().snapshot.models.flatMap((model) => model.endpoints);
    const priced = endpoints.filter((endpoint) => endpoint.pricing.webSearch !== undefined);
    assert.ok(priced.length > 0);
    assert.deepEqual(new Set(priced.map((endpoint) => `${endpoint.provider} ${endpoint.pricing.webSearch}`)), new Set(['anthropic 0.01']));
  });

  it('turns models.dev context tiers into long-context overrides starting above the tier size', () => {
    const { snapshot } = build();
    const gemini = snapshot.models.find((m) => m.id === 'google/gemini-2.5-pro')?.endpoints[0];
    assert.deepEqual(gemini?.pricing.overrides, [{ minPromptTokens: 200001, input: '0.0000025', output: '0.000015' }]);
    assert.deepEqual(gemini?.inputModalities, ['text', 'image', 'audio', 'video', 'file']);
  });

  it('merges Groq, OpenRouter and its :free tier for Llama 3.3 70B', () => {
    const { snapshot } = build();
    const llama = snapshot.models.find((m) => m.id === 'meta-llama/llama-3.3-70b-instruct');
    assert.deepEqual(
      llama?.endpoints.map((e) => [e.provider, e.upstreamModelId, e.serviceTier ?? 'standard', e.pricing.input]),
      [
        ['openrouter', 'meta-llama/llama-3.3-70b-instruct', 'standard', '0.0000001'],
        ['openrouter', 'meta-llama/llama-3.3-70b-instruct:free', 'free', '0'],
        ['groq', 'llama-3.3-70b-versatile', 'standard', '0.00000059'],
      ],
    );
    assert.equal(llama?.name, 'Llama 3.3 70B Instruct');
  });

  it('treats $0 on a paid endpoint as an unknown price, with a warning naming it; a :free tier stays free', () => {
    const { snapshot, warnings } = build();
    const lyria = snapshot.models.find((m) => m.id === 'google/lyria-3-clip-preview')?.endpoints[0];
    assert.ok(lyria);
    assert.deepEqual([lyria.pricing.input, lyria.pricing.output], [undefined, undefined]);
    assert.ok(warnings.some((w) => w.modelId === 'google/lyria-3-clip-preview' && w.provider === 'openrouter' && /\$0 per token but not a free tier/.test(w.message)));
    const free = snapshot.models.find((m) => m.id === 'meta-llama/llama-3.3-70b-instruct')?.endpoints.find((e) => e.serviceTier === 'free');
    assert.deepEqual(free?.pricing, { input: '0', output: '0' });
  });

  it('drops deprecated, non-chat, audio-only models, OpenRouter moving aliases and routers, and provider routers', () => {
    const { snapshot, report } = build();
    const ids = snapshot.models.map((m) => m.id);
    for (const gone of ['anthropic/claude-3-opus', 'openai/text-embedding-3-small', 'google/gemini-2.5-flash-preview-tts', '~anthropic/claude-sonnet-latest', 'openrouter/auto', 'openai/model-router']) {
      assert.ok(!ids.includes(gone), `${gone} should be dropped`);
    }
    assert.deepEqual(report.dropped, { deprecated: 1, 'not a chat model': 2, 'openrouter alias or router': 2, 'provider router': 1 });
  });

  it('fills a stub model (base record missing from the export) from the majority of other listings, but never its price', () => {
    const { snapshot } = build();
    const gpt5 = snapshot.models.find((m) => m.id === 'openai/gpt-5');
    assert.equal(gpt5?.name, 'GPT-5');
    assert.equal(gpt5?.endpoints[0]?.contextLength, 400000);
    assert.equal(gpt5?.endpoints[0]?.pricing.input, '0.00000125');
  });

  it('applies the data-policy table to every endpoint', () => {
    const { snapshot } = build();
    const direct = snapshot.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5')?.endpoints[0];
    assert.equal(direct?.dataPolicy.trainsOnPrompts, false);
    assert.equal(direct?.dataPolicy.zdr, false);
    assert.match(direct?.dataPolicy.source ?? '', /^https:\/\/privacy\.claude\.com\/.* \(as of \d{4}-\d{2}-\d{2}\)$/);
  });

  it('is deterministic: the same input gives the same snapshot', () => {
    assert.deepEqual(build().snapshot, build().snapshot);
    assert.equal(build().snapshot.generatedAt, '2026-07-02T00:00:00.000Z');
  });

  it('names the provider and field of a malformed entry in a provider it reads', () => {
    const broken = structuredClone(fixture) as { providers: { groq: { models: Record<string, { cost: { input: unknown } }> } } };
    const versatile = broken.providers.groq.models['llama-3.3-70b-versatile'];
    assert.ok(versatile);
    versatile.cost.input = '0.59';
    assert.throws(
      () => buildCatalogFromModelsDev(broken, 'models-dev-mini.json', providers),
      (error: unknown) =>
        PerpetuoError.is(error) && error.kind === 'config' && error.message.includes('providers.groq') && error.message.includes('models.llama-3.3-70b-versatile.cost.input'),
    );
  });

  it('refuses an export that lacks a requested provider', () => {
    assert.throws(() => buildCatalogFromModelsDev(structuredClone(fixture), 'models-dev-mini.json', { ...providers, xai: 'xai' }), /no provider "xai"/);
  });
});
