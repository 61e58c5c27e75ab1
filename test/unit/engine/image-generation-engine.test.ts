import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import { createRoutingEngine } from '../../../src/core/engine/create-routing-engine';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openLedger, type Ledger } from '../../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

const png = readFileSync(join(__dirname, '../../fixtures/media/gradient.png')).toString('base64');
/** The one JSON line of a `.jsonl` fixture that holds a whole (non-streamed) answer. */
const jsonFixture = (path: string): unknown =>
  JSON.parse(
    readFileSync(join(__dirname, '../../fixtures', path), 'utf8')
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('//')) ?? 'null',
  );

function endpoint(provider: string, upstreamModelId: string, pricing: CatalogEndpoint['pricing'], outputModalities: CatalogEndpoint['outputModalities']): CatalogEndpoint {
  return {
    provider,
    upstreamModelId,
    pricing,
    contextLength: 32_768,
    maxOutputTokens: 8_192,
    inputModalities: ['text', 'image'],
    outputModalities,
    supportedParameters: ['max_tokens'],
    dataPolicy: {},
  };
}

/** Prices per token as the catalog holds them: gpt-image-1 $5/M text in, $40/M image out; Gemini 2.5 Flash Image $0.30/M in, $30/M image out. */
const CATALOG: CatalogModel[] = [
  { id: 'openai/gpt-image-1', name: 'GPT Image 1', endpoints: [endpoint('openai', 'gpt-image-1', { input: '0.000005', output: '0.00004' }, ['image'])] },
  { id: 'google/gemini-2.5-flash-image', name: 'Nano Banana', endpoints: [endpoint('gemini', 'gemini-2.5-flash-image', { input: '0.0000003', output: '0.00003' }, ['text', 'image'])] },
  { id: 'openai/gpt-4.1', name: 'GPT-4.1', endpoints: [endpoint('openai', 'gpt-4.1', { input: '0.000002', output: '0.000008' }, ['text'])] },
];

describe('routing engine: native image generation (Gemini, OpenAI Images API) on a fake upstream', () => {
  let upstream: FakeUpstream;
  let dir: string;
  let ledger: Ledger;

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /oa/images/generations', () => ({ json: jsonFixture('openai-compatible/openai-images-generation.jsonl') }));
    upstream.on('POST /gm/models/gemini-2.5-flash-image:streamGenerateContent', () => ({ sse: readSseFixture(join(__dirname, '../../fixtures/gemini/image.jsonl')) }));
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-image-engine-'));
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function route(request: ChatRequest, model: string, providers: 'openai' | 'gemini' | 'both' = 'both') {
    ledger = openLedger({ directory: join(dir, 'ledger'), now: Date.now, pid: process.pid });
    const all = [
      { id: 'openai', kind: 'openai-compatible' as const, preset: 'openai', baseUrl: `${upstream.url}/oa`, apiKey: 'sk-proj-test-0000000000000000' },
      { id: 'gemini', kind: 'gemini' as const, baseUrl: `${upstream.url}/gm`, apiKey: 'AIzaSyD3adBeefC0ffee-0123456789_abcdefg' },
    ];
    const engine = createRoutingEngine({
      catalog: () => ({ models: CATALOG }),
      providers: all.filter((p) => providers === 'both' || p.id === providers),
      policy: () => ({ strategy: 'cheapest' }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails({}) }),
      budgets: openBudgetStore({ directory: join(dir, 'budgets'), now: Date.now, pid: process.pid }),
      ledger,
      metrics: new LiveMetrics({ clock: Date.now }),
      circuit: new CircuitBreaker({ clock: Date.now }),
    });
    const call = engine.route(request, { model, source: { kind: 'chat' } }, new AbortController().signal);
    const parts: ChatStreamPart[] = [];
    for await (const part of call.stream) parts.push(part);
    await call.settled;
    return { call, parts };
  }

  const draw = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text }] }], outputModalities: ['image'], ...extra });

  it('OpenAI gpt-image-1 through POST /images/generations: prompt, size from the aspect ratio, quality; b64_json as a file part; cost from the usage tokens', async () => {
    const { call, parts } = await route(draw('A lighthouse at dusk', { imageOptions: { aspectRatio: '3:2', quality: 'high' } }), 'openai/gpt-image-1');
    assert.deepEqual(parts.filter((p) => p.type === 'file'), [{ type: 'file', mediaType: 'image/png', data: png }]);
    assert.equal(parts.at(-1)?.type, 'finish');
    const sent = upstream.requests[0];
    assert.equal(sent?.path, '/oa/images/generations');
    assert.equal(sent?.headers.authorization, 'Bearer sk-proj-test-0000000000000000');
    assert.deepEqual(sent?.body, { model: 'gpt-image-1', prompt: 'A lighthouse at dusk', n: 1, size: '1536x1024', quality: 'high' });
    const record = ledger.get(call.id);
    assert.equal(record?.outcome, 'ok');
    assert.equal(record?.tokens.input.total, 50);
    assert.equal(record?.tokens.output.total, 50);
    // 50 × $5/M + 50 × $40/M = $0.00225
    assert.equal(record?.cost.computedUsd, 0.00225);
    assert.equal(record?.cost.chargedUsd, 0.00225);
  });

  it('Gemini 2.5 Flash Image through streamGenerateContent with responseModalities; the image tokens priced at the output price', async () => {
    const { call, parts } = await route(draw('A nano banana dish', { imageOptions: { aspectRatio: '16:9' } }), 'google/gemini-2.5-flash-image');
    assert.deepEqual(parts.filter((p) => p.type === 'file'), [{ type: 'file', mediaType: 'image/png', data: png }]);
    const body = upstream.requests[0]?.body as { generationConfig?: unknown };
    assert.deepEqual(body.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } }, 'the endpoint answers with text too, so both are asked for');
    const record = ledger.get(call.id);
    // 12 × $0.30/M + 1,302 × $30/M = $0.0390636
    assert.equal(record?.cost.computedUsd, 0.0390636);
  });

  it('routes an image request to the cheapest capable model under the keys present, and never to a text-only one', async () => {
    const onlyOpenAI = await route(draw('A cat'), 'perpetuo/cheapest', 'openai');
    assert.equal(onlyOpenAI.call.served()?.modelId, 'openai/gpt-image-1');
    const onlyGemini = await route(draw('A cat'), 'perpetuo/cheapest', 'gemini');
    assert.equal(onlyGemini.call.served()?.modelId, 'google/gemini-2.5-flash-image');
    assert.deepEqual(
      upstream.requests.map((r) => r.path),
      ['/oa/images/generations', '/gm/models/gemini-2.5-flash-image:streamGenerateContent'],
    );
  });

  it('refuses an image edit (an attached picture) to the Images API with a clear error, sending nothing', async () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Make it blue' }, { type: 'image', source: { kind: 'base64', data: png }, mediaType: 'image/png', filename: 'in.png' }] }],
      outputModalities: ['image'],
    };
    const { parts } = await route(request, 'openai/gpt-image-1', 'openai');
    const last = parts.at(-1);
    assert.equal(last?.type, 'error');
    assert.match(last?.type === 'error' ? last.error.message : '', /editing an attached image \(OpenAI's \/images\/edits\) is not supported/);
    assert.equal(upstream.requests.length, 0);
  });
  it('an Images API refusal is an error part with the provider message and never the key', async () => {
    // The error shape of OpenAI's error-codes guide, as the Images API answers a moderation block.
    upstream.on('POST /oa/images/generations', {
      status: 400,
      json: { error: { message: 'Your request was rejected as a result of our safety system.', type: 'image_generation_user_error', param: null, code: 'moderation_blocked' } },
    });
    const { parts } = await route(draw('Something forbidden'), 'openai/gpt-image-1', 'openai');
    const last = parts.at(-1);
    assert.equal(last?.type, 'error');
    const error = last?.type === 'error' ? last.error : assert.fail();
    assert.match(error.message, /openai answered HTTP 400: Your request was rejected as a result of our safety system\./);
    assert.equal(error.statusCode, 400);
    assert.ok(!JSON.stringify(parts).includes('sk-proj-test') && !(error.stack ?? '').includes('sk-proj-test'));
  });
});
