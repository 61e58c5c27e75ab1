import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogModel, EndpointPricing } from '../../../src/core/catalog/catalog-model';
import { createRoutingEngine } from '../../../src/core/engine/create-routing-engine';
import type { RoutingEngine } from '../../../src/core/engine/routed-call';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { resolveEffectiveGuardrail } from '../../../src/core/guardrails/resolve-effective-guardrail';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import type { ProviderConfig } from '../../../src/core/providers/provider-config';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { type FakeUpstream, readSseFixture, startFakeUpstream } from '../../support/fake-upstream';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'ledger');
const OPENROUTER_KEY = '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';
const ANTHROPIC_KEY = 'sk-ant-api03-Pl4nt3dLedgerKey-0123456789abcdefghijklmnop';
const SONNET: EndpointPricing = { input: '0.000003', output: '0.000015', cacheRead: '0.0000003', cacheWrite: '0.00000375' };
const request: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: `my key is ${OPENROUTER_KEY} and ${ANTHROPIC_KEY}, keep them secret` }] }], maxOutputTokens: 4000 };

/** The production stack: the routing engine over a real adapter, a budget store and a ledger. */
function engineFor(provider: ProviderConfig, directory: string, id: string) {
  const models: CatalogModel[] = [
    {
      id: 'anthropic/claude-sonnet-4.5',
      name: 'Claude Sonnet 4.5',
      endpoints: [
        {
          provider: provider.id,
          upstreamModelId: provider.id === 'openrouter' ? 'anthropic/claude-sonnet-4.5' : 'claude-sonnet-4-5',
          pricing: SONNET,
          contextLength: 200_000,
          maxOutputTokens: 64_000,
          inputModalities: ['text'],
          outputModalities: ['text'],
          supportedParameters: ['tools'],
          dataPolicy: {},
        },
      ],
    },
  ];
  const store = openBudgetStore({ directory: join(directory, 'budget'), now: Date.now, pid: process.pid });
  const ledger = openLedger({ directory: join(directory, 'ledger'), now: Date.now, pid: process.pid, logPrompts: () => true });
  const engine = createRoutingEngine({
    catalog: () => ({ models }),
    providers: [provider],
    policy: () => ({ strategy: 'cheapest' }),
    guardrails: () => ({ userSettings: mapSettingsToGuardrails({ monthlyBudgetUsd: 10 }) }),
    budgets: store,
    ledger,
    metrics: new LiveMetrics({ clock: Date.now }),
    circuit: new CircuitBreaker({ clock: Date.now }),
    logPrompts: () => true,
    newId: () => id,
  });
  const guardrails = resolveEffectiveGuardrail({ userSettings: mapSettingsToGuardrails({ monthlyBudgetUsd: 10 }) }, {});
  return { engine, ledger, store, guardrails };
}

async function drain(engine: RoutingEngine): Promise<void> {
  const call = engine.route(request, { model: 'anthropic/claude-sonnet-4.5', source: { kind: 'chat' } }, new AbortController().signal);
  for await (const part of call.stream) {
    void part;
  }
  await call.settled;
}

function allFileText(directory: string): string {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('ledger cost against recorded provider usage', () => {
  let upstream: FakeUpstream;
  let directory: string;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-ledger-cost-'));
  });
  afterEach(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('charges OpenRouter usage.cost to the cent, and the cost computed from catalog prices agrees', async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: readSseFixture(join(FIXTURES, 'openrouter-sonnet-cache-reasoning.jsonl')) });
    const provider: ProviderConfig = { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/api/v1`, apiKey: OPENROUTER_KEY };
    const { engine, ledger, store, guardrails } = engineFor(provider, directory, 'or-1');
    await drain(engine);

    const record = ledger.get('or-1');
    assert.ok(record);
    assert.equal(record.outcome, 'ok');
    assert.equal(record.cost.basis, 'reported');
    assert.equal(Math.round(record.cost.chargedUsd * 100), Math.round(0.033888 * 100));
    assert.equal(record.cost.chargedUsd, 0.033888);
    assert.equal(record.cost.reportedUsd, 0.033888);
    assert.equal(record.cost.computedUsd, 0.033888, 'cache read, cache write and output priced separately');
    assert.equal(record.tokens.input.cacheRead, 10240);
    assert.equal(record.tokens.input.cacheWrite, 2048);
    assert.equal(record.tokens.output.reasoning, 512);
    assert.equal(record.served.upstreamProvider, 'Anthropic');
    assert.equal(record.served.upstreamId, 'gen-1760000000-LedgerFixture01');
    const [status] = await store.status(guardrails.budgets);
    assert.equal(status?.spentNanos, 33_888_000, 'the budget counts what the ledger charged');

    const files = allFileText(directory);
    assert.ok(!files.includes(OPENROUTER_KEY), 'the OpenRouter key (in keyId and in the logged prompt) reached a file');
    assert.ok(!files.includes(ANTHROPIC_KEY), 'a planted key reached a file');
    assert.equal(record.keyId, 'sk-or-v1-…0042');
  });

  it('counts Anthropic cumulative message_delta usage once (25 output tokens, not 10 + 25)', async () => {
    upstream.on('POST /v1/messages', { sse: readSseFixture(join(FIXTURES, 'anthropic-cumulative-usage.jsonl')) });
    const provider: ProviderConfig = { id: 'anthropic', kind: 'anthropic', baseUrl: `${upstream.url}/v1`, apiKey: ANTHROPIC_KEY };
    const { engine, ledger } = engineFor(provider, directory, 'an-1');
    await drain(engine);

    const record = ledger.get('an-1');
    assert.ok(record);
    assert.equal(record.tokens.output.total, 25);
    assert.equal(record.cost.basis, 'computed');
    // 21 × $3/M + 188,086 × $3.75/M + 1,500 × $0.30/M + 25 × $15/M
    assert.equal(record.cost.chargedUsd, 0.7062105);
    const files = allFileText(directory);
    assert.ok(!files.includes(ANTHROPIC_KEY));
    assert.ok(!files.includes(OPENROUTER_KEY));
  });
});
