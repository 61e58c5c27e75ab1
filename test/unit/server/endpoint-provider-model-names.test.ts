import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { buildEngineFromConfig, type HeadlessEngine } from '../../../src/server/build-engine-from-config';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import { headlessServeConfig } from '../../support/headless-serve-config';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

const ANTHROPIC_TEXT = join(__dirname, '../../fixtures/anthropic/text.jsonl');

/**
 * Claude Code and other single-provider clients name models as their provider does
 * (`claude-sonnet-4-5-20250929`). Through the endpoint, on the real engine with an Anthropic key,
 * those names reach the model the catalog knows them as, and names nobody knows are a 404, not
 * a 500 that SDKs retry.
 */
describe("endpoint: models named as their provider names them (Claude Code's dated ids)", () => {
  let upstream: FakeUpstream;
  let headless: HeadlessEngine;
  let endpoint: RunningEndpoint;
  let stateDir: string;
  let anthropic: Anthropic;

  beforeEach(async () => {
    upstream = await startFakeUpstream();
    stateDir = await mkdtemp(join(tmpdir(), 'perpetuo-names-'));
    headless = await buildEngineFromConfig(
      headlessServeConfig({
        providers: [{ id: 'anthropic', kind: 'anthropic', baseUrl: `${upstream.url}/anthropic/v1`, apiKey: 'sk-ant-api03-names0000000000000000' }],
        ledgerDir: join(stateDir, 'ledger'),
      }),
    );
    endpoint = await startTestEndpoint(headless.engine, { app: 'claude-code' });
    anthropic = new Anthropic({ baseURL: endpoint.url, apiKey: endpoint.token, maxRetries: 0 });
  });
  afterEach(async () => {
    await endpoint.close();
    await headless.dispose();
    await upstream.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('a dated Anthropic id is served by the catalog model it stands for, at Anthropic', async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_TEXT) });
    const message = await anthropic.messages.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] });
    assert.equal(message.model, 'anthropic/claude-haiku-4.5');
    assert.equal(upstream.requests.length, 1);
    assert.match(String((upstream.requests[0]?.body as { model: string }).model), /^claude-haiku-4-5/);
  });

  it('an unknown model is a 404 not_found_error naming it, and nothing is sent upstream', async () => {
    await assert.rejects(
      anthropic.messages.create({ model: 'claude-sonnet-9-20300101', max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.NotFoundError, String(error));
        assert.equal(error.status, 404);
        assert.match(error.message, /Unknown model 'claude-sonnet-9-20300101'/);
        return true;
      },
    );
    assert.equal(upstream.requests.length, 0);
  });

  it("a bad provider{} field in a chat completion is a 400 naming it, not a server error", async () => {
    const openai = new OpenAI({ baseURL: `${endpoint.url}/v1`, apiKey: endpoint.token, maxRetries: 0 });
    await assert.rejects(
      openai.chat.completions.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello' }], ...{ provider: { sort: 'cheap' } } }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.match(error.message, /provider\.sort/);
        return true;
      },
    );
    assert.equal(upstream.requests.length, 0);
  });
});
