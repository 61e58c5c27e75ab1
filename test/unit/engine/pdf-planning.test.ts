import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pdfText from '../../../src/core/attachments/extract-pdf-text';
import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../../src/core/engine/attachment-settings';
import { createRoutingEngine } from '../../../src/core/engine/create-routing-engine';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import type { DecisionRecord } from '../../../src/core/routing/decision-record';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { PDF_TOKENS_PER_PAGE } from '../../../src/core/tokens/estimate-media-tokens';
import { buildTestPdf } from '../../support/build-test-pdf';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

function endpoint(upstreamModelId: string, perMillionUsd: number, contextLength: number, inputModalities: CatalogEndpoint['inputModalities']): CatalogEndpoint {
  const price = String(perMillionUsd / 1e6);
  return {
    provider: 'openrouter',
    upstreamModelId,
    pricing: { input: price, output: price },
    contextLength,
    maxOutputTokens: 4_096,
    inputModalities,
    outputModalities: ['text'],
    supportedParameters: ['max_tokens'],
    dataPolicy: {},
  };
}

/**
 * Cheapest first: a 16k-window model that reads PDFs as files, a 16k-window one that reads only
 * text, and a dear one with a window of a million.
 */
const CATALOG: CatalogModel[] = [
  { id: 'acme/small-reader', name: 'Small reader', endpoints: [endpoint('acme/small-reader', 0.02, 16_000, ['text', 'file'])] },
  { id: 'acme/small-text', name: 'Small text', endpoints: [endpoint('acme/small-text', 0.05, 16_000, ['text'])] },
  { id: 'acme/large-text', name: 'Large text', endpoints: [endpoint('acme/large-text', 1, 1_000_000, ['text'])] },
  { id: 'acme/large-reader', name: 'Large reader', endpoints: [endpoint('acme/large-reader', 1, 1_000_000, ['text', 'file'])] },
];

const NATIVE: AttachmentSettings = { pdfEngine: 'native', pdfPageLimit: 100 };

/** A PDF of `pages` pages, each holding `line` once. */
const pdfPart = (pages: number, line: (page: number) => string): UserContentPart => ({
  type: 'file',
  source: { kind: 'base64', data: buildTestPdf(Array.from({ length: pages }, (_, index) => line(index + 1))).toString('base64') },
  mediaType: 'application/pdf',
  filename: 'report.pdf',
});
/** 20 pages of one short line: a few hundred tokens as text, 20 × the per-page rate as a file. */
const sparse = (): UserContentPart => pdfPart(20, (page) => `Page ${page} of the quarterly report.`);
/** 40 pages of ~1,000 words each: far more than 16k tokens however it is sent. */
const dense = (): UserContentPart => pdfPart(40, (page) => `Page ${page}. ${'Revenue grew in every region while costs held steady. '.repeat(110)}`);
const ask = (...parts: UserContentPart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, ...parts] }], maxOutputTokens: 100 });

describe('routing engine: the planner and each target count an inline PDF as the budget does', () => {
  let upstream: FakeUpstream;
  let dir: string;

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /or/chat/completions', { sse: readSseFixture(join(__dirname, '../../fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-pdf-planning-'));
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Routed {
    parts: ChatStreamPart[];
    decision: DecisionRecord;
    /** Prompt tokens of each reservation, read from the nanodollars held (100 output tokens at the endpoint's price). */
    reservedPromptTokens: number[];
    /** Times PDF.js was asked for a PDF's text. */
    extractions: number;
  }

  async function route(request: ChatRequest, routeOptions: { model: string; models?: string[] }, settings: Record<string, unknown> = {}, attachments = NATIVE): Promise<Routed> {
    const budgets = openBudgetStore({ directory: join(dir, 'budgets'), now: Date.now, pid: process.pid });
    const ledger = openLedger({ directory: join(dir, 'ledger'), now: Date.now, pid: process.pid });
    const reserved: number[] = [];
    let decision: DecisionRecord | undefined;
    let extractions = 0;
    const engine = createRoutingEngine({
      catalog: () => ({ models: CATALOG }),
      providers: [{ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or`, apiKey: 'sk-or-v1-test' }],
      policy: () => ({ strategy: 'cheapest' }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails({ dailyBudgetUsd: 1_000, ...settings }) }),
      budgets: { ...budgets, reserve: (reservation) => (reserved.push(reservation.nanos), budgets.reserve(reservation)) },
      ledger,
      metrics: new LiveMetrics({ clock: Date.now }),
      circuit: new CircuitBreaker({ clock: Date.now }),
      attachments: () => attachments,
      loadPdfText: async () => ({
        ...pdfText,
        extractPdfText: (...args: Parameters<typeof pdfText.extractPdfText>) => ((extractions += 1), pdfText.extractPdfText(...args)),
      }),
      onRecord: (record) => (decision = record.decision as DecisionRecord),
    });
    const call = engine.route(request, { ...routeOptions, source: { kind: 'chat' } }, new AbortController().signal);
    const parts: ChatStreamPart[] = [];
    for await (const part of call.stream) parts.push(part);
    await call.settled;
    assert.ok(decision !== undefined, 'a ledger line with its decision');
    const perToken = (modelId: string | undefined): number => Number(CATALOG.find((model) => model.id === modelId)?.endpoints[0]?.pricing.input) * 1e9;
    const price = perToken(decision.served?.modelId ?? decision.plan.targets[0]?.modelId);
    return { parts, decision, reservedPromptTokens: reserved.map((nanos) => Math.round(nanos / price) - 100), extractions };
  }

  const rejection = (decision: DecisionRecord, modelId: string) => decision.plan.rejected.find((candidate) => candidate.modelId === modelId);

  it('a small window that takes the PDF as text serves it; one that would get the file is passed over, with the size it would be sent', async () => {
    const { decision, reservedPromptTokens, extractions } = await route(ask(sparse()), { model: 'perpetuo/cheapest' });
    assert.equal(decision.served?.modelId, 'acme/small-text', JSON.stringify(decision.plan.rejected));
    assert.equal(extractions, 1, 'the text is extracted once, for the plan and the target');
    const reader = rejection(decision, 'acme/small-reader');
    assert.equal(reader?.reason, 'context-length', JSON.stringify(decision.plan.rejected));
    // 20 pages at the default per-page rate, plus the question.
    assert.match(reader?.detail ?? '', /^needs ~9\d(\.\d)?k tokens \(prompt \+ max output, the PDF as a file\), window is 16k$/);
    assert.ok(20 * PDF_TOKENS_PER_PAGE > 16_000);
    // The planner planned with what the served target is sent, the reservation's own count.
    assert.equal(decision.plan.estimates.promptTokens, reservedPromptTokens[0], `plan ${decision.plan.estimates.promptTokens}, reserved ${reservedPromptTokens.join()}`);
    assert.ok(decision.plan.estimates.promptTokens < 1_000, `${decision.plan.estimates.promptTokens}`);
    const sent = upstream.requests[0]?.rawBody ?? '';
    assert.match(sent, /pages 1–20 of 20 extracted as text from report\.pdf/);
    assert.match(sent, /Page 20 of the quarterly report\./);
  });

  it('a PDF too large for a window in any form rejects the model in the plan, for its context length', async () => {
    const { decision } = await route(ask(dense()), { model: 'perpetuo/cheapest' });
    assert.equal(decision.served?.modelId, 'acme/large-text', JSON.stringify(decision.plan.rejected));
    for (const modelId of ['acme/small-reader', 'acme/small-text']) {
      const rejected = rejection(decision, modelId);
      assert.equal(rejected?.reason, 'context-length', `${modelId}: ${JSON.stringify(decision.plan.rejected)}`);
      // The planner's own wording: it counted the smaller form, the text.
      assert.match(rejected?.detail ?? '', /^needs ~\d+(\.\d)?k tokens \(prompt \+ max output\), window is 16k$/);
    }
    assert.ok(decision.plan.estimates.promptTokens > 16_000, `${decision.plan.estimates.promptTokens}`);
    // The question alone goes to the cheapest.
    const plain = await route(ask(), { model: 'perpetuo/cheapest' });
    assert.equal(plain.decision.served?.modelId, 'acme/small-reader');
  });

  it('holds each target to the per-request cap at the size it would be sent: the file is over it, the text is not', async () => {
    // 20 pages × 4,600 tokens at $1/M is ~$0.09, over the $0.01 cap; as text, a few hundred tokens.
    const { decision, reservedPromptTokens } = await route(ask(sparse()), { model: 'acme/large-reader', models: ['acme/large-text'] }, { maxCostPerRequestUsd: 0.01 });
    const reader = rejection(decision, 'acme/large-reader');
    assert.equal(reader?.reason, 'cost-cap', JSON.stringify(decision.plan.rejected));
    assert.match(reader?.detail ?? '', /^est\. \$0\.09\d* with the PDF as a file is above your \$0\.01\/request cap$/);
    assert.equal(decision.served?.modelId, 'acme/large-text');
    assert.equal(reservedPromptTokens.length, 1, 'only the served target reserved');
    assert.equal(upstream.requests.length, 1);
  });

  it('with no target left, the error names the model, its window and the size it would be sent, and nothing is sent', async () => {
    const { parts, decision } = await route(ask(sparse()), { model: 'acme/small-reader' });
    const last = parts.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'context-length', JSON.stringify(last));
    assert.match(last?.type === 'error' ? last.error.message : '', /^acme\/small-reader via openrouter needs ~9\d(\.\d)?k tokens \(prompt \+ max output, the PDF as a file\), window is 16k\. /);
    assert.equal(decision.plan.targets.length, 0);
    assert.equal(upstream.requests.length, 0);
  });

  it('with the text PDF engine, a reader gets the text and is held to its size', async () => {
    const { decision } = await route(ask(sparse()), { model: 'acme/small-reader' }, {}, { pdfEngine: 'text', pdfPageLimit: 100 });
    assert.equal(decision.served?.modelId, 'acme/small-reader', JSON.stringify(decision.plan.rejected));
    assert.match(upstream.requests[0]?.rawBody ?? '', /extracted as text from report\.pdf/);
  });
});
