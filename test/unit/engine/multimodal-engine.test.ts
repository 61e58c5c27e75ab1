import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pdfText from '../../../src/core/attachments/extract-pdf-text';
import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../../src/core/engine/attachment-settings';
import { createRoutingEngine } from '../../../src/core/engine/create-routing-engine';
import type { RouteOptions } from '../../../src/core/engine/routed-call';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openLedger, type Ledger } from '../../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import type { DecisionRecord } from '../../../src/core/routing/decision-record';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

const media = (name: string) => readFileSync(join(__dirname, '../../fixtures/media', name));
const fixture = (name: string) => readSseFixture(join(__dirname, '../../fixtures/openai-compatible', name));

function endpoint(provider: string, upstreamModelId: string, price: string, overrides: Partial<CatalogEndpoint> = {}): CatalogEndpoint {
  return {
    provider,
    upstreamModelId,
    pricing: { input: price, output: price },
    contextLength: 128_000,
    maxOutputTokens: 4_096,
    inputModalities: ['text'],
    outputModalities: ['text'],
    supportedParameters: ['max_tokens'],
    dataPolicy: {},
    ...overrides,
  };
}

const CATALOG: CatalogModel[] = [
  { id: 'acme/reader', name: 'Reader', endpoints: [endpoint('openrouter', 'acme/reader', '0.000001', { inputModalities: ['text', 'image', 'file'] })] },
  { id: 'acme/text-only', name: 'Text only', endpoints: [endpoint('openrouter', 'acme/text-only', '0.000001')] },
  {
    id: 'acme/ear',
    name: 'Ear',
    endpoints: [endpoint('openai', 'ear-direct', '0.0000001', { inputModalities: ['text', 'audio'] }), endpoint('openrouter', 'acme/ear', '0.000002', { inputModalities: ['text', 'audio'] })],
  },
  { id: 'acme/eye', name: 'Eye', endpoints: [endpoint('openai', 'eye-direct', '0.000001', { inputModalities: ['text', 'image'] })] },
  // Cheaper, and a chat model through OpenAI directly, whose Chat Completions cannot return images: screened out.
  { id: 'openai/gpt-5-image-direct', name: 'Image direct', endpoints: [endpoint('openai', 'gpt-5-image-direct', '0.0000001', { outputModalities: ['text', 'image'] })] },
  { id: 'google/gemini-2.5-flash-image', name: 'Nano Banana', endpoints: [endpoint('openrouter', 'google/gemini-2.5-flash-image', '0.000001', { outputModalities: ['text', 'image'] })] },
];

describe('routing engine: attachments and image generation (fake upstream, real adapters and ledger)', () => {
  let upstream: FakeUpstream;
  let dir: string;
  let ledger: Ledger;

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /or/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    upstream.on('POST /oa/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-multimodal-'));
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function route(request: ChatRequest, options: Partial<RouteOptions> & { model: string }, settings: Partial<AttachmentSettings> = {}, withPdfText = true) {
    ledger = openLedger({ directory: join(dir, 'ledger'), now: Date.now, pid: process.pid });
    const engine = createRoutingEngine({
      catalog: () => ({ models: CATALOG }),
      providers: [
        { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or`, apiKey: 'sk-or-v1-test' },
        { id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream.url}/oa`, apiKey: 'sk-proj-test' },
      ],
      policy: () => ({ strategy: 'cheapest', allowUnpriced: true }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails({}) }),
      budgets: openBudgetStore({ directory: join(dir, 'budgets'), now: Date.now, pid: process.pid }),
      ledger,
      metrics: new LiveMetrics({ clock: Date.now }),
      circuit: new CircuitBreaker({ clock: Date.now }),
      attachments: () => ({ pdfEngine: 'native', pdfPageLimit: 50, ...settings }),
      loadPdfText: withPdfText ? async () => pdfText : undefined,
    });
    return engine.route(request, { source: { kind: 'chat' }, ...options }, new AbortController().signal);
  }

  async function drain(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
    const parts: ChatStreamPart[] = [];
    for await (const part of stream) {
      parts.push(part);
    }
    return parts;
  }

  const ask = (...parts: UserContentPart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this?' }, ...parts] }], maxOutputTokens: 100 });
  const pdf: UserContentPart = { type: 'file', source: { kind: 'base64', data: media('spec.pdf').toString('base64') }, mediaType: 'application/pdf', filename: 'spec.pdf' };
  const sentContent = (index = 0) => (upstream.requests[index]?.body as { messages: Array<{ content: unknown }> }).messages[0]?.content as Array<Record<string, unknown>>;
  const errorOf = (parts: ChatStreamPart[]) => {
    const last = parts.at(-1);
    assert.equal(last?.type, 'error', `expected an error, got ${JSON.stringify(parts.map((p) => p.type))}`);
    return last.type === 'error' ? last.error : assert.fail();
  };

  it('sends a PDF as the file to an endpoint that reads files (pdfEngine native)', async () => {
    const call = route(ask(pdf), { model: 'acme/reader' });
    assert.equal((await drain(call.stream)).at(-1)?.type, 'finish');
    assert.deepEqual(sentContent()[1], { type: 'file', file: { filename: 'spec.pdf', file_data: `data:application/pdf;base64,${media('spec.pdf').toString('base64')}` } });
  });

  it('sends the extracted text to an endpoint that cannot read files, instead of refusing the model', async () => {
    const call = route(ask(pdf), { model: 'acme/text-only' });
    const parts = await drain(call.stream);
    assert.equal(parts.at(-1)?.type, 'finish', JSON.stringify(parts.at(-1)));
    // All text now, so the adapter sends the message as one string.
    const content = sentContent() as unknown as string;
    assert.match(content, /^What is in this\?\n\n\[pages 1–3 of 3 extracted as text from spec\.pdf\]\n\n--- page 1 ---\n/);
    assert.match(content, /Page 3: every decision is written to the log\.\n\n$/);
    assert.equal((await call.settled).outcome, 'ok');
  });

  it('sends text even to a file-reading endpoint when pdfEngine is text, with the page limit applied', async () => {
    const call = route(ask(pdf), { model: 'acme/reader' }, { pdfEngine: 'text', pdfPageLimit: 1 });
    await drain(call.stream);
    assert.match(sentContent() as unknown as string, /^What is in this\?\n\n\[page 1 of 3 extracted as text from spec\.pdf; pages 2–3 \(2 pages\) left out by the page limit of 1\]/);
  });

  it('says so when a PDF must become text and no extractor is available, and sends nothing', async () => {
    const parts = await drain(route(ask(pdf), { model: 'acme/text-only' }, {}, false).stream);
    assert.match(errorOf(parts).message, /spec\.pdf must go as text.*not available/);
    assert.equal(upstream.requests.length, 0);
  });

  it('skips a provider whose published limits the attachment breaks, and serves from the next', async () => {
    const flac: UserContentPart = { type: 'audio', source: { kind: 'base64', data: Buffer.from('fLaC\0\0\0\x22').toString('base64') }, mediaType: 'audio/flac', filename: 'take.flac' };
    const call = route(ask(flac), { model: 'acme/ear' });
    assert.equal((await drain(call.stream)).at(-1)?.type, 'finish');
    assert.equal(call.served()?.provider, 'openrouter');
    assert.equal(upstream.requests.length, 1);
    assert.equal(upstream.requests[0]?.url.startsWith('/or/'), true);
    await call.settled;
    const decision = ledger.get(call.id)?.decision as DecisionRecord;
    const rejected = decision.plan.rejected.find((r) => r.reason === 'attachment-limit');
    assert.equal(rejected?.provider, 'openai');
    assert.match(rejected?.detail ?? '', /take\.flac is audio\/flac; OpenAI accepts WAV and MP3 audio/);
  });

  it('refuses before dispatch, naming the file and the limit, when every target breaks it', async () => {
    const heic: UserContentPart = { type: 'image', source: { kind: 'base64', data: 'AAAA' }, mediaType: 'image/heic', filename: 'photo.heic' };
    const call = route(ask(heic), { model: 'acme/eye' });
    const error = errorOf(await drain(call.stream));
    assert.equal(error.kind, 'invalid-request');
    assert.match(error.message, /photo\.heic is image\/heic; OpenAI accepts PNG, JPEG, WebP and non-animated GIF images/);
    assert.equal(upstream.requests.length, 0);
    await call.settled;
    assert.equal(ledger.get(call.id)?.error?.kind, 'invalid-request');
  });

  it('replaces the generic no-eligible error with one naming the modality and who could read it', async () => {
    const video: UserContentPart = { type: 'video', source: { kind: 'base64', data: media('clip.mp4').toString('base64') }, mediaType: 'video/mp4', filename: 'clip.mp4' };
    const error = errorOf(await drain(route(ask(video), { model: 'perpetuo/cheapest' }).stream));
    assert.equal(error.kind, 'no-eligible-model');
    assert.match(error.message, /^No model you can reach reads video \(clip\.mp4\)\. No model in the catalog reads video\.$/);
    const audio: UserContentPart = { type: 'audio', source: { kind: 'base64', data: 'AAAA' }, mediaType: 'audio/wav', filename: 'memo.wav' };
    const named = errorOf(await drain(route(ask(audio), { model: 'acme/reader' }).stream));
    assert.match(named.message, /No endpoint can serve 'acme\/reader'/, 'a named model that cannot hear keeps the planner error: other models could');
  });

  it('generates an image through OpenRouter, asks for what the endpoint produces, and records the cost', async () => {
    upstream.on('POST /or/chat/completions', { sse: fixture('openrouter-image.jsonl') });
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'A lighthouse at dusk' }] }],
      outputModalities: ['image'],
      providerOptions: { openrouter: { image_config: { aspect_ratio: '16:9' } } },
    };
    const call = route(request, { model: 'perpetuo/cheapest', notes: ['/image'] });
    const parts = await drain(call.stream);
    const files = parts.filter((p) => p.type === 'file');
    assert.deepEqual(files, [{ type: 'file', mediaType: 'image/png', data: media('gradient.png').toString('base64') }]);
    const body = upstream.requests[0]?.body as Record<string, unknown>;
    assert.equal(body.model, 'google/gemini-2.5-flash-image');
    assert.deepEqual(body.modalities, ['image', 'text']);
    assert.deepEqual(body.image_config, { aspect_ratio: '16:9' });
    const summary = await call.settled;
    assert.equal(summary.outcome, 'ok');
    const record = ledger.get(call.id);
    assert.equal(record?.cost.reportedUsd, 0.0387);
    assert.equal(Math.round((record?.cost.chargedUsd ?? 0) * 1e4), 387);
    assert.equal(record?.attribution?.notes, '/image');
    const decision = record?.decision as DecisionRecord;
    assert.deepEqual(
      decision.plan.rejected.filter((r) => r.reason === 'output-modality' && r.detail.includes('OpenRouter')).map((r) => [r.modelId, r.provider]),
      [['openai/gpt-5-image-direct', 'openai']],
    );
    assert.equal(upstream.requests.length, 1, 'nothing was sent to the provider that cannot return images');
    assert.ok(decision.plan.rejected.some((r) => r.modelId === 'acme/reader' && r.reason === 'output-modality'), 'text-only models are rejected by the planner');
  });

  it('refuses an image request when only providers without image generation could serve it', async () => {
    const parts = await drain(route({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a cat' }] }], outputModalities: ['image'] }, { model: 'openai/gpt-5-image-direct' }).stream);
    assert.match(errorOf(parts).message, /through OpenRouter, Gemini, and OpenAI's image models \(gpt-image, DALL·E\); openai\/gpt-5-image-direct via openai is none of them\. Add an OpenRouter, Gemini or OpenAI key/);
    assert.equal(upstream.requests.length, 0);
  });

  it('records a note the surface passes, such as an attachment the user chose to drop', async () => {
    const call = route(ask(), { model: 'acme/reader', notes: ['sent without diagram.png (model cannot read images)'] });
    await drain(call.stream);
    await call.settled;
    assert.equal(ledger.get(call.id)?.attribution?.notes, 'sent without diagram.png (model cannot read images)');
  });
});
