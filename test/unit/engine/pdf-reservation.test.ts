import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pdfText from '../../../src/core/attachments/extract-pdf-text';
import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../../src/core/engine/attachment-settings';
import { createRoutingEngine } from '../../../src/core/engine/create-routing-engine';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { GEMINI_PDF_TOKENS_PER_PAGE, PDF_TOKENS_PER_PAGE } from '../../../src/core/tokens/estimate-media-tokens';
import { estimateTextTokens } from '../../../src/core/tokens/estimate-text-tokens';
import { buildTestPdf } from '../../support/build-test-pdf';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

/** $1 per million tokens in and out. */
const PRICE = '0.000001';

function endpoint(provider: string, upstreamModelId: string, inputModalities: CatalogEndpoint['inputModalities']): CatalogEndpoint {
  return {
    provider,
    upstreamModelId,
    pricing: { input: PRICE, output: PRICE },
    contextLength: 1_000_000,
    maxOutputTokens: 4_096,
    inputModalities,
    outputModalities: ['text'],
    supportedParameters: ['max_tokens'],
    dataPolicy: {},
  };
}

const CATALOG: CatalogModel[] = [
  { id: 'acme/reader', name: 'Reader', endpoints: [endpoint('openrouter', 'acme/reader', ['text', 'file'])] },
  { id: 'acme/text-only', name: 'Text only', endpoints: [endpoint('openrouter', 'acme/text-only', ['text'])] },
  { id: 'google/gemini-reader', name: 'Gemini reader', endpoints: [endpoint('gemini', 'gemini-reader', ['text', 'file'])] },
];

const sentence = 'Routing requirements: attachments go only to models that can read them, and every decision is logged. ';
const pdfPart = (pages: number, filename: string): UserContentPart => ({
  type: 'file',
  source: { kind: 'base64', data: buildTestPdf(Array.from({ length: pages }, (_, index) => `Page ${index + 1}. ${sentence.repeat(4)}`)).toString('base64') },
  mediaType: 'application/pdf',
  filename,
});
const ask = (...parts: UserContentPart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, ...parts] }], maxOutputTokens: 100 });

describe('routing engine: a PDF is reserved by its real size, not as a placeholder', () => {
  let upstream: FakeUpstream;
  let dir: string;

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /or/chat/completions', { sse: readSseFixture(join(__dirname, '../../fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-pdf-reservation-'));
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function route(request: ChatRequest, model: string, settings: Record<string, unknown>, attachments: AttachmentSettings, onReserve?: (nanos: number) => void): Promise<ChatStreamPart[]> {
    const budgets = openBudgetStore({ directory: join(dir, 'budgets'), now: Date.now, pid: process.pid });
    const engine = createRoutingEngine({
      catalog: () => ({ models: CATALOG }),
      providers: [
        { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or`, apiKey: 'sk-or-v1-test' },
        { id: 'gemini', kind: 'gemini', baseUrl: `${upstream.url}/gm`, apiKey: 'AIza-test-key-000000000000000000000' },
      ],
      policy: () => ({ strategy: 'cheapest' }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails(settings) }),
      budgets: {
        ...budgets,
        reserve: (reservation) => {
          onReserve?.(reservation.nanos);
          return budgets.reserve(reservation);
        },
      },
      ledger: openLedger({ directory: join(dir, 'ledger'), now: Date.now, pid: process.pid }),
      metrics: new LiveMetrics({ clock: Date.now }),
      circuit: new CircuitBreaker({ clock: Date.now }),
      attachments: () => attachments,
      loadPdfText: async () => pdfText,
    });
    const parts: ChatStreamPart[] = [];
    for await (const part of engine.route(request, { model, source: { kind: 'chat' } }, new AbortController().signal).stream) parts.push(part);
    return parts;
  }

  /**
   * The prompt tokens the budget reserved for the call, read from what it asked the store to hold
   * against a daily budget too large to refuse: at $1/M in and out a token is 1,000 nanodollars,
   * and 100 of them are the output the request allows.
   */
  async function reservedPromptTokens(request: ChatRequest, model: string, attachments: AttachmentSettings): Promise<number> {
    const held: number[] = [];
    // Whether the fake upstream then answers does not matter here (it serves OpenRouter only).
    await route(request, model, { dailyBudgetUsd: 1_000 }, attachments, (nanos) => held.push(nanos));
    assert.equal(held.length, 1, 'one reservation');
    return (held[0] ?? 0) / 1_000 - 100;
  }

  it('as extracted text: a 40-page PDF is reserved as its text, far above a 2-page one', async () => {
    const text = { pdfEngine: 'text', pdfPageLimit: 100 } as const;
    const small = await reservedPromptTokens(ask(pdfPart(2, 'small.pdf')), 'acme/text-only', text);
    const large = await reservedPromptTokens(ask(pdfPart(40, 'large.pdf')), 'acme/text-only', text);
    const largeText = estimateTextTokens(`Page 1. ${sentence.repeat(4)}`.repeat(40));
    assert.ok(small > estimateTextTokens(`Page 1. ${sentence.repeat(4)}`.repeat(2)), `small ${small}`);
    assert.ok(large >= largeText, `large ${large} < its text ${largeText}`);
    assert.ok(large > 15 * small, `large ${large}, small ${small}`);
  });

  it('as extracted text, the page limit bounds the reservation to the pages sent', async () => {
    const limited = await reservedPromptTokens(ask(pdfPart(40, 'large.pdf')), 'acme/text-only', { pdfEngine: 'text', pdfPageLimit: 2 });
    const whole = await reservedPromptTokens(ask(pdfPart(40, 'large.pdf')), 'acme/text-only', { pdfEngine: 'text', pdfPageLimit: 100 });
    assert.ok(limited * 10 < whole, `limited ${limited}, whole ${whole}`);
  });

  it('as a native file: pages × the provider’s documented per-page rate (Anthropic-style default, Gemini 560)', async () => {
    const native = { pdfEngine: 'native', pdfPageLimit: 50 } as const;
    const viaOpenRouter = await reservedPromptTokens(ask(pdfPart(20, 'doc.pdf')), 'acme/reader', native);
    const viaGemini = await reservedPromptTokens(ask(pdfPart(20, 'doc.pdf')), 'google/gemini-reader', native);
    assert.ok(viaOpenRouter >= 20 * PDF_TOKENS_PER_PAGE && viaOpenRouter < 20 * PDF_TOKENS_PER_PAGE + 100, `openrouter ${viaOpenRouter}`);
    assert.ok(viaGemini >= 20 * GEMINI_PDF_TOKENS_PER_PAGE && viaGemini < 20 * GEMINI_PDF_TOKENS_PER_PAGE + 100, `gemini ${viaGemini}`);
  });

  it('a daily budget that fits a question blocks the same question with a PDF that would exceed it, before sending', async () => {
    // 20 pages × 4,600 tokens at $1/M ≈ $0.092, above the $0.05 budget; the question alone is ~$0.0001.
    const budget = { dailyBudgetUsd: 0.05 };
    const native = { pdfEngine: 'native', pdfPageLimit: 50 } as const;
    const blocked = await route(ask(pdfPart(20, 'doc.pdf')), 'acme/reader', budget, native);
    const last = blocked.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'budget', JSON.stringify(last));
    assert.match(last?.type === 'error' ? last.error.message : '', /[Dd]aily budget/);
    assert.equal(upstream.requests.length, 0);
    const passed = await route(ask(), 'acme/reader', budget, native);
    assert.equal(passed.at(-1)?.type, 'finish', JSON.stringify(passed.at(-1)));
    assert.equal(upstream.requests.length, 1);
  });
});
