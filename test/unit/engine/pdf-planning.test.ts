import assert from 'node:assert/strict';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../../src/core/engine/attachment-settings';
import type { DecisionRecord } from '../../../src/core/routing/decision-record';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';
import { PDF_TOKENS_PER_PAGE } from '../../../src/core/tokens/estimate-media-tokens';
import { pdfAttachment, pdfTestModel, type PdfRouted, type PdfRoutingHarness, startPdfRoutingHarness, summarise } from '../../support/pdf-routing-harness';

/**
 * Cheapest first: a 16k-window model that reads PDFs as files, a 16k-window one that reads only
 * text, and a dear one with a window of a million.
 */
const CATALOG: CatalogModel[] = [
  pdfTestModel('acme/small-reader', 'Small reader', { perMillionUsd: 0.02, contextLength: 16_000, readsFiles: true }),
  pdfTestModel('acme/small-text', 'Small text', { perMillionUsd: 0.05, contextLength: 16_000, readsFiles: false }),
  pdfTestModel('acme/large-text', 'Large text', { readsFiles: false }),
  pdfTestModel('acme/large-reader', 'Large reader', { readsFiles: true }),
];

const NATIVE: AttachmentSettings = { pdfEngine: 'native', pdfPageLimit: 100 };

const pageTexts = (pages: number, text: (page: number) => string): string[] => Array.from({ length: pages }, (_, index) => text(index + 1));

/** 20 pages of one short line: a few hundred tokens as text, 20 × the per-page rate as a file. */
const sparse = (): UserContentPart => pdfAttachment(pageTexts(20, (page) => `Page ${page} of the quarterly report.`));
/** 40 pages of ~1,000 words each: far more than 16k tokens however it is sent. */
const dense = (): UserContentPart => pdfAttachment(pageTexts(40, (page) => `Page ${page}. ${'Revenue grew in every region while costs held steady. '.repeat(110)}`));
const ask = summarise;

describe('routing engine: the planner and each target count an inline PDF as the budget does', () => {
  let harness: PdfRoutingHarness;
  beforeEach(async () => {
    harness = await startPdfRoutingHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  interface Routed extends PdfRouted {
    /** Prompt tokens of each reservation: the nanodollars held, less 100 output tokens, at the served (or first) model's price. */
    reservedPromptTokens: number[];
  }

  async function route(request: ChatRequest, routeOptions: { model: string; models?: string[] }, settings: Record<string, unknown> = {}, attachments = NATIVE): Promise<Routed> {
    const routed = await harness.route(request, { ...routeOptions, catalog: CATALOG, attachments, settings: { dailyBudgetUsd: 1_000, ...settings } });
    const { decision } = routed;
    const modelId = decision.served?.modelId ?? decision.plan.targets[0]?.modelId;
    const perToken = Number(CATALOG.find((model) => model.id === modelId)?.endpoints[0]?.pricing.input) * 1e9;
    return { ...routed, reservedPromptTokens: routed.reservedNanos.map((nanos) => Math.round(nanos / perToken) - 100) };
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
    const sent = harness.upstream.requests[0]?.rawBody ?? '';
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
    assert.equal(harness.upstream.requests.length, 1);
  });

  it('with no target left, the error names the model, its window and the size it would be sent, and nothing is sent', async () => {
    const { parts, decision } = await route(ask(sparse()), { model: 'acme/small-reader' });
    const last = parts.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'context-length', JSON.stringify(last));
    assert.match(last?.type === 'error' ? last.error.message : '', /^acme\/small-reader via openrouter needs ~9\d(\.\d)?k tokens \(prompt \+ max output, the PDF as a file\), window is 16k\. Attach fewer pages, set perpetuo\.attachments\.pdfEngine to "text" \(its text instead of its pages\), or pick a model with a larger window\.$/);
    assert.equal(decision.plan.targets.length, 0);
    assert.equal(harness.upstream.requests.length, 0);
  });

  it('does not extract the text when every endpoint of the models asked for reads the file; extracts it when a fallback may get it', async () => {
    const asFile = await route(ask(sparse()), { model: 'acme/large-reader' });
    assert.equal(asFile.decision.served?.modelId, 'acme/large-reader');
    assert.equal(asFile.extractions, 0, 'no target could be sent the text');
    // Sent as the file, and reserved at 20 pages of OpenRouter's per-page rate.
    assert.match(harness.upstream.requests[0]?.rawBody ?? '', /"type":"file"/);
    assert.ok((asFile.reservedPromptTokens[0] ?? 0) > 20 * PDF_TOKENS_PER_PAGE, `${asFile.reservedPromptTokens.join()}`);
    const withTextFallback = await route(ask(sparse()), { model: 'acme/large-reader', models: ['acme/large-reader', 'acme/large-text'] });
    assert.equal(withTextFallback.decision.served?.modelId, 'acme/large-reader');
    assert.equal(withTextFallback.extractions, 1, 'the fallback reads no files: the plan counts the text too');
  });

  it("a conversation's next turn reuses the text of a PDF it sent before; an edited file or another page limit is read again", async () => {
    const setup = { model: 'acme/small-text', catalog: CATALOG, attachments: NATIVE, settings: { dailyBudgetUsd: 1_000 } };
    const conversation = harness.conversation(setup);
    const first = await conversation.route(ask(sparse()));
    assert.equal(first.extractions, 1);
    // The next turn sends the same file again (a new part, the same bytes), with the answer and a question.
    const next: ChatRequest = {
      messages: [...ask(sparse()).messages, { role: 'assistant', content: [{ type: 'text', text: 'A quarterly report.' }] }, { role: 'user', content: [{ type: 'text', text: 'And page 20?' }] }],
      maxOutputTokens: 100,
    };
    const second = await conversation.route(next);
    assert.equal(second.extractions, 0, 'the text of the first turn is reused');
    assert.equal(second.decision.served?.modelId, 'acme/small-text');
    assert.match(harness.upstream.requests[1]?.rawBody ?? '', /pages 1–20 of 20 extracted as text from report\.pdf[^]*Page 20 of the quarterly report\./);
    const edited = await conversation.route(ask(pdfAttachment(pageTexts(20, (page) => `Page ${page} of the revised report.`))));
    assert.equal(edited.extractions, 1, 'an edited file is read again');
    assert.match(harness.upstream.requests[2]?.rawBody ?? '', /Page 20 of the revised report\./);
    setup.attachments = { pdfEngine: 'native', pdfPageLimit: 5 };
    const limited = await conversation.route(ask(sparse()));
    assert.equal(limited.extractions, 1, 'another page limit is read again');
    assert.match(harness.upstream.requests[3]?.rawBody ?? '', /pages 1–5 of 20 extracted as text from report\.pdf/);
  });

  it('with the text PDF engine, a reader gets the text and is held to its size', async () => {
    const { decision } = await route(ask(sparse()), { model: 'acme/small-reader' }, {}, { pdfEngine: 'text', pdfPageLimit: 100 });
    assert.equal(decision.served?.modelId, 'acme/small-reader', JSON.stringify(decision.plan.rejected));
    assert.match(harness.upstream.requests[0]?.rawBody ?? '', /extracted as text from report\.pdf/);
  });
});
