import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { mergeGuardrails } from '../../../src/core/guardrails/merge-guardrails';
import { openBudgetStore } from '../../../src/core/guardrails/open-budget-store';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { buildEngineFromConfig } from '../../../src/server/build-engine-from-config';
import { startTestEndpoint } from '../../support/endpoint-harness';
import { headlessServeConfig } from '../../support/headless-serve-config';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { startRealEngineEndpoint, type RealEngineEndpoint } from '../../support/real-engine-endpoint';

const TEXT_FIXTURE = join(__dirname, '../../fixtures/openai-compatible/openai-text-usage.jsonl');

describe('endpoint on the real engine (buildEngineFromConfig), two providers on a fake upstream', () => {
  let running: RealEngineEndpoint;
  let upstream: FakeUpstream;
  let client: OpenAI;
  let model: string;

  beforeEach(async () => {
    running = await startRealEngineEndpoint((url) => ({
      providers: [
        { id: 'primary', kind: 'openai-compatible', preset: 'custom', baseUrl: `${url}/primary/v1`, apiKey: 'sk-test-primary-000000000000' },
        { id: 'backup', kind: 'openai-compatible', preset: 'custom', baseUrl: `${url}/backup/v1`, apiKey: 'sk-test-backup-0000000000000' },
      ],
      listedModels: { primary: { models: ['shared-model'], free: true }, backup: { models: ['shared-model'], free: true } },
    }));
    upstream = running.upstream;
    const listed = running.headless.engine.listModels().find((entry) => entry.kind === 'model' && entry.providers.includes('primary') && entry.providers.includes('backup'));
    assert.ok(listed, JSON.stringify(running.headless.engine.listModels().filter((entry) => entry.kind === 'model').slice(0, 5)));
    model = listed.id;
    client = new OpenAI({ baseURL: `${running.endpoint.url}/v1`, apiKey: running.endpoint.token, maxRetries: 0 });
  });
  afterEach(() => running.close());

  it('streams through the real adapter and names, in its headers, the provider that served after a fallback', async () => {
    let calls = 0;
    const reply = () => (++calls === 1 ? { status: 500, json: { error: { message: 'boom' } } } : { sse: readSseFixture(TEXT_FIXTURE) });
    upstream.on('POST /primary/v1/chat/completions', reply);
    upstream.on('POST /backup/v1/chat/completions', reply);

    const { data: stream, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Hello there, héllo wörld! 👋');
    assert.equal(upstream.requests.length, 2, 'one failed attempt, one that served');
    const servedBy = upstream.requests[1]?.path.startsWith('/primary') ? 'primary' : 'backup';
    assert.equal(response.headers.get('x-perpetuo-provider'), servedBy);
    assert.equal(response.headers.get('x-perpetuo-fallbacks'), '1');
    assert.equal(response.headers.get('x-perpetuo-model'), model);
    assert.match(response.headers.get('x-perpetuo-overhead-ms') ?? '', /^\d+\.\d{3}$/);
    // The ledger line is written after the response has ended (the client never waits for the disk).
    let files: string[] = [];
    for (let attempt = 0; attempt < 100 && files.length === 0; attempt++) {
      files = await readdir(running.ledgerDir).catch(() => []);
      if (files.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(files.length > 0, 'the engine wrote its ledger');
  });

  it('answers a non-streamed request before its ledger line is written, and stopping waits for that line', async () => {
    upstream.on('POST /primary/v1/chat/completions', { sse: readSseFixture(TEXT_FIXTURE) });
    upstream.on('POST /backup/v1/chat/completions', { sse: readSseFixture(TEXT_FIXTURE) });
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    assert.equal(data.choices[0]?.message.content, 'Hello there, héllo wörld! 👋');
    const id = response.headers.get('x-perpetuo-decision-id') ?? '';
    await running.endpoint.close();
    await running.headless.dispose();
    const record = openLedger({ directory: running.ledgerDir, now: Date.now, pid: process.pid }).get(id);
    assert.equal(record?.outcome, 'ok', `ledger line of ${id} written by the time the server has stopped: ${JSON.stringify(record)}`);
  });

  it('answers with a real status when every provider fails before content', async () => {
    upstream.on('POST /primary/v1/chat/completions', { status: 401, json: { error: { message: 'Incorrect API key provided' } } });
    upstream.on('POST /backup/v1/chat/completions', { status: 401, json: { error: { message: 'Incorrect API key provided' } } });
    await assert.rejects(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], stream: true }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 401, 'the upstream key failure maps to auth, once, without a 200');
      assert.ok(!JSON.stringify(error.error).includes('sk-test-'));
      return true;
    });
  });
});

describe('perpetuo serve under a budget: the lease its requests drew on is released when it stops', () => {
  it('other processes see the unused part of the lease as reserved while it serves, and only the spend once it has stopped', async () => {
    const upstream = await startFakeUpstream();
    const stateDir = await mkdtemp(join(tmpdir(), 'perpetuo-endpoint-'));
    let stop: (() => Promise<void>) | undefined;
    try {
      const guardrailsFile = join(stateDir, 'policy.json');
      await writeFile(guardrailsFile, JSON.stringify({ version: 1, guardrails: { apps: { 'test-app': { budget: { amountUsd: 100, period: 'daily' } } } } }));
      const headless = await buildEngineFromConfig(
        headlessServeConfig({
          // A priced model of the catalog, so that its requests reserve something.
          providers: [{ id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test-openai-00000000000000' }],
          guardrailsFile,
          ledgerDir: join(stateDir, 'ledger'),
        }),
      );
      upstream.on('POST /v1/chat/completions', { sse: readSseFixture(TEXT_FIXTURE) });
      const endpoint = await startTestEndpoint(headless.engine);
      stop = async () => {
        stop = undefined;
        await endpoint.close();
        await headless.dispose();
      };
      const client = new OpenAI({ baseURL: `${endpoint.url}/v1`, apiKey: endpoint.token, maxRetries: 0 });
      const { response } = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 }).withResponse();
      const id = response.headers.get('x-perpetuo-decision-id') ?? '';
      const budgets = mergeGuardrails([{ scope: 'app', scopeKey: 'app:test-app', origin: 'test', guardrail: { budget: { amountUsd: 100, period: 'daily' } } }], {}).budgets;
      const otherProcess = () => openBudgetStore({ directory: join(stateDir, 'budgets'), now: Date.now, pid: process.pid }).status(budgets);
      let [serving] = await otherProcess();
      for (let attempt = 0; attempt < 100 && serving?.spentNanos === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        [serving] = await otherProcess();
      }
      assert.ok((serving?.spentNanos ?? 0) > 0, `the settlement is written: ${JSON.stringify(serving)}`);
      assert.ok((serving?.reservedNanos ?? 0) > 0, 'the rest of the lease is still held while the server runs');

      await stop();
      const [stopped] = await otherProcess();
      assert.equal(stopped?.reservedNanos, 0, 'released at shutdown');
      const charged = openLedger({ directory: join(stateDir, 'ledger'), now: Date.now, pid: process.pid }).get(id)?.cost.chargedUsd;
      assert.ok(charged !== undefined && charged > 0);
      assert.equal(stopped?.spentNanos, Math.round(charged * 1e9), 'what is spent is what the ledger line says it cost');
    } finally {
      await stop?.();
      await upstream.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
