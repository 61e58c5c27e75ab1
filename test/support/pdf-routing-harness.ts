import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pdfText from '../../src/core/attachments/extract-pdf-text';
import type { CatalogModel } from '../../src/core/catalog/catalog-model';
import type { AttachmentSettings } from '../../src/core/engine/attachment-settings';
import { createRoutingEngine } from '../../src/core/engine/create-routing-engine';
import { mapSettingsToGuardrails } from '../../src/core/guardrails/map-settings-to-guardrails';
import { openBudgetStore } from '../../src/core/guardrails/open-budget-store';
import { openLedger } from '../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../src/core/routing/circuit-breaker';
import type { DecisionRecord } from '../../src/core/routing/decision-record';
import { LiveMetrics } from '../../src/core/routing/live-metrics';
import type { ChatRequest, UserContentPart } from '../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../src/core/spec/chat-stream-part';
import { buildTestPdf } from './build-test-pdf';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from './fake-upstream';

/** What one routed request did. */
export interface PdfRouted {
  parts: ChatStreamPart[];
  /** The decision its ledger line recorded (the plan after every screen, and the attempts). */
  decision: DecisionRecord;
  /** The nanodollars each budget reservation asked the store to hold. */
  reservedNanos: number[];
  /** Times PDF.js was asked for a PDF's text. */
  extractions: number;
}

export interface PdfRouteSetup {
  model: string;
  models?: string[];
  catalog: CatalogModel[];
  attachments: AttachmentSettings;
  /** Guardrail settings (`perpetuo.guardrails.*`). */
  settings?: Record<string, unknown>;
}

export interface PdfRoutingHarness {
  /** Answers OpenRouter's chat completions with a recorded stream; Gemini's path is not served. */
  readonly upstream: FakeUpstream;
  /** One request on an engine of its own. */
  route(request: ChatRequest, setup: PdfRouteSetup): Promise<PdfRouted>;
  /** An engine kept across requests, as a conversation's turns share one. */
  conversation(setup: PdfRouteSetup): { route(request: ChatRequest): Promise<PdfRouted> };
  close(): Promise<void>;
}

/**
 * The real routing engine for tests of how it sizes and prepares PDFs: real budgets, ledger and
 * PDF.js in a temporary folder, the `cheapest` strategy, and two providers on a fake upstream on
 * 127.0.0.1 — OpenRouter (an OpenAI-compatible kind) and Gemini, whose per-page rates differ.
 */
export async function startPdfRoutingHarness(): Promise<PdfRoutingHarness> {
  const upstream = await startFakeUpstream();
  upstream.on('POST /or/chat/completions', { sse: readSseFixture(join(__dirname, '../fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
  const dir = mkdtempSync(join(tmpdir(), 'perpetuo-pdf-routing-'));
  return {
    upstream,
    route: (request, setup) => conversation(setup).route(request),
    conversation,
    async close() {
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  function conversation(setup: PdfRouteSetup): ReturnType<PdfRoutingHarness['conversation']> {
    const budgets = openBudgetStore({ directory: join(dir, 'budgets'), now: Date.now, pid: process.pid });
    // Each request's own figures: the engine's listeners write into the current request's.
    let current = { reservedNanos: [] as number[], extractions: 0, decision: undefined as DecisionRecord | undefined };
    const engine = createRoutingEngine({
      catalog: () => ({ models: setup.catalog }),
      providers: [
        { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or`, apiKey: 'sk-or-v1-test' },
        { id: 'gemini', kind: 'gemini', baseUrl: `${upstream.url}/gm`, apiKey: 'AIza-test-key-000000000000000000000' },
      ],
      policy: () => ({ strategy: 'cheapest' }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails(setup.settings ?? {}) }),
      budgets: { ...budgets, reserve: (reservation) => (current.reservedNanos.push(reservation.nanos), budgets.reserve(reservation)) },
      ledger: openLedger({ directory: join(dir, 'ledger'), now: Date.now, pid: process.pid }),
      metrics: new LiveMetrics({ clock: Date.now }),
      circuit: new CircuitBreaker({ clock: Date.now }),
      attachments: () => setup.attachments,
      loadPdfText: async () => ({
        ...pdfText,
        extractPdfText: (...args: Parameters<typeof pdfText.extractPdfText>) => ((current.extractions += 1), pdfText.extractPdfText(...args)),
      }),
      onRecord: (record) => (current.decision = record.decision as DecisionRecord),
    });
    return {
      async route(request) {
        const mine = { reservedNanos: [] as number[], extractions: 0, decision: undefined as DecisionRecord | undefined };
        current = mine;
        const call = engine.route(request, { model: setup.model, models: setup.models, source: { kind: 'chat' } }, new AbortController().signal);
        const parts: ChatStreamPart[] = [];
        for await (const part of call.stream) parts.push(part);
        await call.settled;
        assert.ok(mine.decision !== undefined, 'a ledger line with its decision');
        return { parts, decision: mine.decision, reservedNanos: mine.reservedNanos, extractions: mine.extractions };
      },
    };
  }
}

/** One catalog endpoint of a model that answers text, for the catalogs of these tests. */
export interface PdfTestEndpoint {
  /** `openrouter` unless said. */
  provider?: string;
  /** The model's id unless said. */
  upstreamModelId?: string;
  /** USD per million tokens, in and out; $1 unless said. */
  perMillionUsd?: number;
  /** A million unless said. */
  contextLength?: number;
  /** Takes `file` input (a PDF as the file); else text only (a PDF as its text). */
  readsFiles: boolean;
}

export function pdfTestModel(id: string, name: string, endpoint: PdfTestEndpoint): CatalogModel {
  const price = String((endpoint.perMillionUsd ?? 1) / 1e6);
  return {
    id,
    name,
    endpoints: [
      {
        provider: endpoint.provider ?? 'openrouter',
        upstreamModelId: endpoint.upstreamModelId ?? id,
        pricing: { input: price, output: price },
        contextLength: endpoint.contextLength ?? 1_000_000,
        maxOutputTokens: 4_096,
        inputModalities: endpoint.readsFiles ? ['text', 'file'] : ['text'],
        outputModalities: ['text'],
        supportedParameters: ['max_tokens'],
        dataPolicy: {},
      },
    ],
  };
}

/** An inline PDF whose pages hold these texts. */
export function pdfAttachment(pages: string[], filename = 'report.pdf'): UserContentPart {
  return { type: 'file', source: { kind: 'base64', data: buildTestPdf(pages).toString('base64') }, mediaType: 'application/pdf', filename };
}

/** "Summarise." with these parts, answered in at most 100 tokens. */
export function summarise(...parts: UserContentPart[]): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, ...parts] }], maxOutputTokens: 100 };
}
