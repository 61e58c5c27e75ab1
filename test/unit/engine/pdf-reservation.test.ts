import assert from 'node:assert/strict';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../../src/core/engine/attachment-settings';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';
import { GEMINI_PDF_TOKENS_PER_PAGE, PDF_TOKENS_PER_PAGE } from '../../../src/core/tokens/estimate-media-tokens';
import { estimateTextTokens } from '../../../src/core/tokens/estimate-text-tokens';
import { pdfAttachment, pdfTestModel, type PdfRouted, type PdfRoutingHarness, startPdfRoutingHarness, summarise } from '../../support/pdf-routing-harness';

const CATALOG: CatalogModel[] = [
  pdfTestModel('acme/reader', 'Reader', { readsFiles: true }),
  pdfTestModel('acme/text-only', 'Text only', { readsFiles: false }),
  pdfTestModel('google/gemini-reader', 'Gemini reader', { provider: 'gemini', upstreamModelId: 'gemini-reader', readsFiles: true }),
];

const sentence = 'Routing requirements: attachments go only to models that can read them, and every decision is logged. ';
const pdfPart = (pages: number, filename: string): UserContentPart =>
  pdfAttachment(
    Array.from({ length: pages }, (_, index) => `Page ${index + 1}. ${sentence.repeat(4)}`),
    filename,
  );
const ask = summarise;

describe('routing engine: a PDF is reserved by its real size, not as a placeholder', () => {
  let harness: PdfRoutingHarness;
  beforeEach(async () => {
    harness = await startPdfRoutingHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  async function route(request: ChatRequest, model: string, settings: Record<string, unknown>, attachments: AttachmentSettings): Promise<PdfRouted> {
    return harness.route(request, { model, catalog: CATALOG, settings, attachments });
  }

  /**
   * The prompt tokens the budget reserved for the call, read from what it asked the store to hold
   * against a daily budget too large to refuse: at $1/M in and out a token is 1,000 nanodollars,
   * and 100 of them are the output the request allows.
   */
  async function reservedPromptTokens(request: ChatRequest, model: string, attachments: AttachmentSettings): Promise<number> {
    // Whether the fake upstream then answers does not matter here (it serves OpenRouter only).
    const { reservedNanos } = await route(request, model, { dailyBudgetUsd: 1_000 }, attachments);
    assert.equal(reservedNanos.length, 1, 'one reservation');
    return (reservedNanos[0] ?? 0) / 1_000 - 100;
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
    const last = blocked.parts.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'budget', JSON.stringify(last));
    assert.match(last?.type === 'error' ? last.error.message : '', /[Dd]aily budget/);
    assert.equal(harness.upstream.requests.length, 0);
    const passed = await route(ask(), 'acme/reader', budget, native);
    assert.equal(passed.parts.at(-1)?.type, 'finish', JSON.stringify(passed.parts.at(-1)));
    assert.equal(harness.upstream.requests.length, 1);
  });
});
