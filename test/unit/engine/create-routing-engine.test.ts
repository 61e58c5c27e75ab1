import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import { createRoutingEngine, type RoutingEngineOptions } from '../../../src/core/engine/create-routing-engine';
import type { RoutingEngine } from '../../../src/core/engine/routed-call';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openLedger, type Ledger } from '../../../src/core/ledger/open-ledger';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import type { DecisionRecord } from '../../../src/core/routing/decision-record';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

const OPENROUTER_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef';
const OPENAI_KEY = 'sk-proj-plantedkeyABCDEFGHIJKLMNOPQRSTUVWXYZ0123';
const fixture = (name: string) => readSseFixture(join(__dirname, '../../fixtures/openai-compatible', name));

/** Two endpoints of one model: OpenRouter (cheaper here) and OpenAI direct. */
function catalog(): CatalogModel[] {
  const endpoint = (provider: string, upstreamModelId: string, input: string, output: string) => ({
    provider,
    upstreamModelId,
    pricing: { input, output },
    contextLength: 128_000,
    maxOutputTokens: 4_096,
    inputModalities: ['text' as const, 'image' as const],
    outputModalities: ['text' as const],
    supportedParameters: ['tools', 'max_tokens', 'temperature'],
    dataPolicy: {},
  });
  return [
    {
      id: 'anthropic/claude-sonnet-4',
      name: 'Claude Sonnet 4',
      tier: 2,
      endpoints: [endpoint('openrouter', 'anthropic/claude-sonnet-4', '0.000003', '0.000015'), endpoint('openai', 'claude-sonnet-4-proxy', '0.000004', '0.00002')],
    },
  ];
}

describe('routing engine (real adapters, budgets and ledger against a fake upstream)', () => {
  let upstream: FakeUpstream;
  let dir: string;
  let ledger: Ledger;
  let warnings: string[];

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    dir = mkdtempSync(join(tmpdir(), 'perpetuo-engine-'));
    warnings = [];
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function engine(overrides: Partial<RoutingEngineOptions> = {}, settings: unknown = {}): RoutingEngine {
    const clock = Date.now;
    ledger = openLedger({ directory: join(dir, 'ledger'), now: clock, pid: process.pid });
    const models = catalog();
    return createRoutingEngine({
      catalog: () => ({ models }),
      providers: [
        { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or`, apiKey: OPENROUTER_KEY },
        { id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream.url}/oa`, apiKey: OPENAI_KEY },
      ],
      policy: () => ({ strategy: 'cheapest' }),
      guardrails: () => ({ userSettings: mapSettingsToGuardrails(settings) }),
      budgets: openBudgetStore({ directory: join(dir, 'budgets'), now: clock, pid: process.pid }),
      ledger,
      metrics: new LiveMetrics({ clock }),
      circuit: new CircuitBreaker({ clock }),
      onWarning: (message) => warnings.push(message),
      ...overrides,
    });
  }

  async function drain(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
    const parts: ChatStreamPart[] = [];
    for await (const part of stream) {
      parts.push(part);
    }
    return parts;
  }

  const ask = { messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'How tall can a building be?' }] }], maxOutputTokens: 200 };

  it('streams from the cheapest endpoint and records the provider-reported cost to the cent', async () => {
    upstream.on('POST /or/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    const call = engine().route(ask, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
    const parts = await drain(call.stream);
    const summary = await call.settled;
    assert.equal(parts.filter((p) => p.type === 'text-delta').map((p) => (p.type === 'text-delta' ? p.delta : '')).join(''), 'The tallest building needs a deep foundation.');
    assert.equal(summary.outcome, 'ok');
    assert.deepEqual(call.served(), { modelId: 'anthropic/claude-sonnet-4', provider: 'openrouter', upstreamModelId: 'anthropic/claude-sonnet-4', fallbacks: 0, reason: call.served()?.reason });
    const record = ledger.get(call.id);
    assert.ok(record, 'the request has a ledger line');
    assert.equal(record.cost.reportedUsd, 0.0123456);
    assert.equal(record.cost.chargedUsd.toFixed(2), '0.01');
    assert.equal(Math.round(record.cost.chargedUsd * 1e7), 123456);
    assert.equal(record.tokens.input.total, 194);
    assert.equal(record.served.provider, 'openrouter');
    assert.equal(record.keyId, 'sk-or-v1-…cdef');
    assert.equal(upstream.requests[0]?.headers.authorization, `Bearer ${OPENROUTER_KEY}`);
  });

  it('falls back to the next endpoint before any output, and says so in the decision record', async () => {
    upstream.on('POST /or/chat/completions', { status: 503, json: { error: { code: 503, message: 'provider overloaded' } } });
    upstream.on('POST /oa/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
    const call = engine().route(ask, { model: 'anthropic/claude-sonnet-4', source: { kind: 'endpoint', detail: 'cli' } }, new AbortController().signal);
    const parts = await drain(call.stream);
    assert.ok(parts.some((p) => p.type === 'text-delta'));
    assert.equal(call.served()?.provider, 'openai');
    assert.equal(call.served()?.fallbacks, 1);
    await call.settled;
    const decision = ledger.get(call.id)?.decision as DecisionRecord;
    assert.deepEqual(
      decision.attempts.map((a) => [a.target.provider, a.outcome]),
      [
        ['openrouter', 'failed'],
        ['openai', 'success'],
      ],
    );
    assert.equal(ledger.get(call.id)?.source.detail, 'cli');
  });

  it('blocks a request over the daily budget before anything is sent, and logs it as blocked', async () => {
    upstream.on('POST /or/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    const call = engine({}, { dailyBudgetUsd: 0.0001 }).route(ask, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
    const parts = await drain(call.stream);
    const last = parts.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last?.type === 'error' && last.error.kind, 'budget');
    assert.match(last?.type === 'error' ? last.error.message : '', /[Dd]aily budget/);
    assert.equal(upstream.requests.length, 0, 'no request reached a provider');
    assert.equal((await call.settled).outcome, 'blocked');
    assert.equal(ledger.get(call.id)?.outcome, 'blocked');
  });

  describe('the per-request cap, held at what each target would reserve', () => {
    /** OpenRouter cheaper per token but reserving 64k output tokens; OpenAI dearer per token with 4k. */
    function cappedCatalog(): CatalogModel[] {
      const [model] = catalog();
      assert.ok(model);
      const [openrouter, openai] = model.endpoints;
      assert.ok(openrouter && openai);
      return [{ ...model, endpoints: [{ ...openrouter, maxOutputTokens: 64_000 }, openai] }];
    }
    const noMaximum = { messages: ask.messages };

    it('passes over a target whose reservation is above the cap, to one under it, before anything is sent', async () => {
      upstream.on('POST /oa/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
      const models = cappedCatalog();
      const call = engine({ catalog: () => ({ models }) }, { maxCostPerRequestUsd: 0.1 }).route(noMaximum, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
      const parts = await drain(call.stream);
      assert.ok(parts.some((p) => p.type === 'text-delta'), JSON.stringify(parts.at(-1)));
      assert.equal(call.served()?.provider, 'openai');
      await call.settled;
      const decision = ledger.get(call.id)?.decision as DecisionRecord;
      // The planner expects ~1k output tokens (under the cap everywhere); the reservation holds the endpoint's maximum.
      const passedOver = decision.plan.rejected.find((candidate) => candidate.provider === 'openrouter');
      assert.equal(passedOver?.reason, 'cost-cap');
      assert.match(passedOver?.detail ?? '', /^could cost up to \$0\.96\d* \(\d+ prompt tokens, up to 64000 output tokens\), above your \$0\.10\/request cap$/);
      assert.deepEqual(decision.attempts.map((attempt) => attempt.target.provider), ['openai']);
      // The decision log's explanation says what happened after the plan, not only what the planner chose.
      assert.match(decision.plan.explanation, /^anthropic\/claude-sonnet-4 via openrouter: .*; then passed over before sending: above your per-request cost cap ×1, so anthropic\/claude-sonnet-4 via openai goes first$/);
      // The planner counted one fallback behind OpenRouter; once it is passed over, none is left.
      assert.doesNotMatch(decision.plan.explanation, /fallback/);
      assert.equal(decision.plan.eligibleCount, 1);
      assert.deepEqual(upstream.requests.map((request) => request.path), ['/oa/chat/completions']);
    });

    it('with no target under the cap, names the first and what would bring it under, and sends nothing', async () => {
      const models = cappedCatalog();
      const call = engine({ catalog: () => ({ models }) }, { maxCostPerRequestUsd: 0.05 }).route(noMaximum, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
      const [part] = await drain(call.stream);
      assert.equal(part?.type === 'error' && part.error.kind, 'policy');
      assert.match(part?.type === 'error' ? part.error.message : '', /^anthropic\/claude-sonnet-4 via openrouter could cost up to \$0\.96\d* \(\d+ prompt tokens, up to 64000 output tokens\), above your \$0\.05\/request cap\. Set a lower maximum output \(max_tokens\)/);
      assert.equal(upstream.requests.length, 0);
      assert.equal((await call.settled).outcome, 'blocked');
      const decision = ledger.get(call.id)?.decision as DecisionRecord;
      assert.deepEqual(decision.plan.rejected.filter((candidate) => candidate.reason === 'cost-cap').map((candidate) => candidate.provider).sort(), ['openai', 'openrouter']);
    });
  });

  it('names what excluded every candidate when the policy leaves none', async () => {
    const call = engine({}, { denyModels: ['anthropic/*'] }).route(ask, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
    const [part] = await drain(call.stream);
    assert.equal(part?.type === 'error' && part.error.kind, 'no-eligible-model');
    assert.match(part?.type === 'error' ? part.error.message : '', /anthropic\/claude-sonnet-4/);
    assert.match(part?.type === 'error' ? part.error.message : '', /denied|deny/i);
    await call.settled;
    assert.equal(ledger.get(call.id)?.outcome, 'blocked');
  });

  it('refuses at creation a provider of a kind no driver speaks, naming the provider and the kinds', () => {
    const providers = [{ id: 'acme', kind: 'cohere' as never, baseUrl: `${upstream.url}/acme`, apiKey: 'acme-test-key' }];
    assert.throws(
      () => engine({ providers }),
      (error: unknown) =>
        error instanceof PerpetuoError &&
        error.kind === 'config' &&
        error.message === 'Provider "acme": Unknown provider kind "cohere"; the kinds are openai-compatible, anthropic, gemini.',
    );
  });

  it('never writes a key into the ledger files', async () => {
    upstream.on('POST /or/chat/completions', { status: 401, json: { error: { code: 401, message: `Invalid key ${OPENROUTER_KEY}` } } });
    upstream.on('POST /oa/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
    const e = engine({ logPrompts: () => true });
    const call = e.route({ messages: [{ role: 'user', content: [{ type: 'text', text: `my key is ${OPENAI_KEY}` }] }] }, { model: 'anthropic/claude-sonnet-4', source: { kind: 'chat' } }, new AbortController().signal);
    await drain(call.stream);
    await call.settled;
    const files = readdirSync(join(dir, 'ledger'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = readFileSync(join(dir, 'ledger', file), 'utf8');
      assert.ok(!text.includes(OPENROUTER_KEY) && !text.includes(OPENAI_KEY), `${file} contains a key`);
      assert.ok(!text.includes('0123456789abcdef0123456789abcdef'), `${file} contains part of a key`);
    }
  });

  it('lists the routes and each model reachable with the configured providers', () => {
    const ids = engine()
      .listModels()
      .map((m) => m.id);
    assert.deepEqual(ids, ['perpetuo/auto', 'perpetuo/cheapest', 'perpetuo/fastest', 'perpetuo/reliable', 'anthropic/claude-sonnet-4']);
  });
});
