import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { fetchOpenRouterCatalog } from '../../../src/core/catalog/fetch-openrouter-catalog';
import { mergeOpenRouterCatalog } from '../../../src/core/catalog/merge-openrouter-catalog';
import { parseCatalogSnapshot } from '../../../src/core/catalog/parse-catalog-snapshot';
import { PerpetuoError } from '../../../src/core/errors';
import { type FakeUpstream } from '../../support/fake-upstream';
import { startFakeOpenRouterCatalog } from '../../support/fake-openrouter-catalog';
import { buildTestSnapshot } from './build-test-snapshot';

describe('fetchOpenRouterCatalog against a fake OpenRouter on 127.0.0.1', () => {
  let server: FakeUpstream & { baseUrl: string };
  let dispatcher: Agent;

  beforeEach(async () => {
    server = await startFakeOpenRouterCatalog();
    dispatcher = new Agent({ keepAliveTimeout: 10 });
  });
  afterEach(async () => {
    await dispatcher.close();
    await server.close();
  });

  it('maps /models onto catalog models with their default OpenRouter route', async () => {
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, includeZdr: false });
    const sonnet = live.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5');
    assert.ok(sonnet);
    assert.equal(sonnet.name, 'Claude Sonnet 4.5');
    assert.deepEqual(sonnet.aliases, ['anthropic/claude-4.5-sonnet-20250929']);
    const [route] = sonnet.endpoints;
    assert.equal(route?.provider, 'openrouter');
    assert.equal(route?.upstreamProvider, undefined);
    assert.equal(route?.contextLength, 1000000);
    assert.equal(route?.maxOutputTokens, 64000);
    assert.deepEqual(route?.inputModalities, ['text', 'image', 'file']);
    assert.ok(route?.supportedParameters.includes('tools'));
    // "0" for reasoning and request means "not priced apart", so it is not stored as free
    assert.deepEqual(route?.pricing, {
      input: '0.000003',
      output: '0.000015',
      cacheRead: '0.0000003',
      cacheWrite: '0.00000375',
      image: '0.0048',
      overrides: [{ minPromptTokens: 200000, input: '0.000006', output: '0.0000225' }],
    });
  });

  it('folds the :free variant into the model as a free tier, and skips routers, aliases and embeddings', async () => {
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, includeZdr: false });
    const llama = live.models.find((m) => m.id === 'meta-llama/llama-3.3-70b-instruct');
    assert.deepEqual(
      llama?.endpoints.map((e) => [e.upstreamModelId, e.serviceTier ?? 'standard']),
      [
        ['meta-llama/llama-3.3-70b-instruct:free', 'free'],
        ['meta-llama/llama-3.3-70b-instruct', 'standard'],
      ],
    );
    const ids = live.models.map((m) => m.id);
    for (const skipped of ['openrouter/auto', '~anthropic/claude-sonnet-latest', 'openai/text-embedding-3-small', 'broken/model']) {
      assert.ok(!ids.includes(skipped), skipped);
    }
  });

  it('warns about a malformed model, naming it and the field, and keeps the others', async () => {
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, includeZdr: false });
    const warning = live.warnings.find((w) => w.modelId === 'broken/model');
    assert.ok(warning);
    assert.equal(warning.source, 'openrouter /models');
    assert.match(warning.message, /data\[7\]\.pricing\.prompt/);
  });

  it('reads per-provider endpoints with their stats, and marks ZDR endpoints from /endpoints/zdr', async () => {
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, endpointsFor: ['anthropic/claude-sonnet-4.5'], apiKey: 'sk-or-v1-test0123456789abcdef' });
    const sonnet = live.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5');
    const pinned = sonnet?.endpoints.filter((e) => e.upstreamProvider !== undefined) ?? [];
    assert.deepEqual(
      pinned.map((e) => [e.upstreamProvider, e.dataPolicy.zdr, e.contextLength]),
      [
        ['google-vertex/global', true, 200000],
        ['anthropic', false, 1000000],
      ],
    );
    const anthropic = pinned.find((e) => e.upstreamProvider === 'anthropic');
    assert.deepEqual(anthropic?.stats, { uptime30m: 0.9942, latencyP50Ms: 1830.5, throughputP50: 61.2 });
    assert.equal(anthropic?.upstreamModelId, 'anthropic/claude-sonnet-4.5');
    assert.equal(anthropic?.quantization, undefined); // "unknown" is not a quantisation
    // an endpoint only the ZDR list names is still added, as ZDR
    const groq = live.models.find((m) => m.id === 'meta-llama/llama-3.3-70b-instruct')?.endpoints.find((e) => e.upstreamProvider === 'groq');
    assert.equal(groq?.dataPolicy.zdr, true);
    assert.equal(groq?.quantization, 'fp8');
    // the broken endpoint is a warning naming the model
    assert.ok(live.warnings.some((w) => w.modelId === 'anthropic/claude-sonnet-4.5' && /data\.endpoints\[2\]/.test(w.message)));
    // what was asked for, and that the key travelled only as a bearer header
    const paths = server.requests.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/api/v1/endpoints/zdr', '/api/v1/models', '/api/v1/models/anthropic/claude-sonnet-4.5/endpoints']);
    assert.ok(server.requests.every((r) => r.headers.authorization === 'Bearer sk-or-v1-test0123456789abcdef' && !r.url.includes('sk-or')));
  });

  it('keeps going when /endpoints/zdr fails, leaving ZDR unknown', async () => {
    server.on('GET /api/v1/endpoints/zdr', { status: 500, json: { error: { code: 500, message: 'boom' } } });
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, endpointsFor: ['anthropic/claude-sonnet-4.5'] });
    assert.equal(live.zdrListed, false);
    const pinned = live.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5')?.endpoints.filter((e) => e.upstreamProvider);
    assert.ok(pinned?.length === 2 && pinned.every((e) => e.dataPolicy.zdr === undefined));
    assert.ok(live.warnings.some((w) => w.source === 'openrouter /endpoints/zdr' && /HTTP 500/.test(w.message)));
  });

  it('throws a typed error when /models fails or returns garbage', async () => {
    server.on('GET /api/v1/models', { status: 429, json: { error: { code: 429, message: 'slow down' } } });
    await assert.rejects(fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher }), (error: unknown) => PerpetuoError.is(error) && error.kind === 'rate-limit' && error.statusCode === 429 && error.provider === 'openrouter');
    server.on('GET /api/v1/models', { text: '<html>maintenance</html>' });
    await assert.rejects(fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher }), (error: unknown) => PerpetuoError.is(error) && error.kind === 'malformed-response' && /did not return JSON/.test(error.message));
    server.on('GET /api/v1/models', { json: { models: [] } });
    await assert.rejects(fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher }), (error: unknown) => PerpetuoError.is(error) && /openrouter \/models returned an unexpected shape: data: /.test(error.message));
  });

  it('reports a refused connection as a network error', async () => {
    const port = new URL(server.url).port;
    await server.close();
    await assert.rejects(fetchOpenRouterCatalog({ baseUrl: `http://127.0.0.1:${port}/api/v1`, dispatcher }), (error: unknown) => PerpetuoError.is(error) && error.kind === 'network');
    server = await startFakeOpenRouterCatalog(); // for afterEach
  });

  it('merges over a base snapshot: OpenRouter endpoints replaced, direct ones kept, delisted OpenRouter-only models dropped', async () => {
    const live = await fetchOpenRouterCatalog({ baseUrl: server.baseUrl, dispatcher, includeZdr: false });
    const merged = mergeOpenRouterCatalog(buildTestSnapshot(), live, new Date('2026-07-10T12:00:00Z'));
    const { snapshot, warnings } = parseCatalogSnapshot(JSON.parse(JSON.stringify(merged)), 'merged');
    const sonnet = snapshot.models.find((m) => m.id === 'anthropic/claude-sonnet-4.5');
    assert.deepEqual(
      sonnet?.endpoints.map((e) => [e.provider, e.contextLength]),
      [
        ['anthropic', 200000],
        ['openrouter', 1000000],
      ],
    );
    assert.ok(!snapshot.models.some((m) => m.id === 'qwen/qwen3-max'), 'qwen3-max is no longer on OpenRouter and had no other endpoint');
    assert.ok(snapshot.models.some((m) => m.id === 'acme/new-model'));
    // acme's "2" per prompt token is a per-million figure: unknown, with a warning naming it
    assert.equal(snapshot.models.find((m) => m.id === 'acme/new-model')?.endpoints[0]?.pricing.input, undefined);
    assert.ok(warnings.some((w) => w.modelId === 'acme/new-model' && w.field === 'pricing.input'));
    assert.equal(snapshot.snapshotDate, '2026-07-10');
    assert.match(snapshot.source, /^test snapshot; OpenRouter endpoints live from http:\/\/127\.0\.0\.1:\d+\/api\/v1 on 2026-07-10$/);
  });
});
