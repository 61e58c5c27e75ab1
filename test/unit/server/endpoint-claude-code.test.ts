import assert from 'node:assert/strict';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { readSseFixture, type FakeUpstream } from '../../support/fake-upstream';
import { startRealEngineEndpoint, type RealEngineEndpoint } from '../../support/real-engine-endpoint';

const ANTHROPIC_TEXT = join(__dirname, '../../fixtures/anthropic/text.jsonl');
const ANTHROPIC_REDACTED = join(__dirname, '../../fixtures/anthropic/redacted-thinking-tool-use.jsonl');
const ANTHROPIC_CACHE_1H = join(__dirname, '../../fixtures/anthropic/cache-usage-1h.jsonl');

/**
 * The endpoint as Claude Code uses it: the Anthropic SDK's requests, on the real engine with an
 * Anthropic key. Claude Code names models as Anthropic does (`claude-sonnet-4-5-20250929`): those
 * names reach the model the catalog knows them as, and names nobody knows are a 404, not a 500
 * that SDKs retry. Its prompt-cache breakpoints reach Anthropic where it put them: without them
 * every turn of a long session would pay full input price.
 */
describe('endpoint as Claude Code uses it: Anthropic ids, errors, prompt-cache breakpoints', () => {
  let running: RealEngineEndpoint;
  let upstream: FakeUpstream;
  let anthropic: Anthropic;

  beforeEach(async () => {
    running = await startRealEngineEndpoint(
      (url) => ({ providers: [{ id: 'anthropic', kind: 'anthropic', baseUrl: `${url}/anthropic/v1`, apiKey: 'sk-ant-api03-names0000000000000000' }] }),
      { app: 'claude-code' },
    );
    upstream = running.upstream;
    anthropic = new Anthropic({ baseURL: running.endpoint.url, apiKey: running.endpoint.token, maxRetries: 0 });
  });
  afterEach(() => running.close());

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

  it('forwards prompt-cache breakpoints to Anthropic on the system block, tool, tool result and text that carry them', async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_TEXT) });
    const ephemeral = { type: 'ephemeral' as const };
    await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      system: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Project rules.', cache_control: ephemeral },
      ],
      tools: [{ name: 'read_file', input_schema: { type: 'object' }, cache_control: ephemeral }],
      messages: [
        { role: 'user', content: 'Read a.ts' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}', cache_control: { type: 'ephemeral', ttl: '1h' } },
            { type: 'text', text: 'Now explain it.', cache_control: ephemeral },
          ],
        },
      ],
    });
    const sent = upstream.requests[0]?.body as { system: unknown; tools: Array<{ cache_control?: unknown }>; messages: Array<{ content: Array<{ type: string; cache_control?: unknown }> }> };
    assert.deepEqual(sent.system, [
      { type: 'text', text: 'You are Claude Code.' },
      { type: 'text', text: 'Project rules.', cache_control: ephemeral },
    ]);
    assert.deepEqual(sent.tools[0]?.cache_control, ephemeral);
    assert.deepEqual(
      sent.messages.at(-1)?.content.map((block) => [block.type, block.cache_control]),
      [
        ['tool_result', { type: 'ephemeral', ttl: '1h' }],
        ['text', ephemeral],
      ],
    );
  });

  it('sends the anthropic-beta header on to Anthropic, except the long-context beta the catalog cannot price', async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_TEXT) });
    const request = { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hello' }] };
    await anthropic.beta.messages.create({ ...request, betas: ['interleaved-thinking-2025-05-14', 'context-1m-2025-08-07', 'fine-grained-tool-streaming-2025-05-14'] });
    assert.equal(upstream.requests[0]?.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14');
    assert.equal(running.endpoint.logs.filter((line) => line.includes('not forwarding anthropic-beta context-1m-2025-08-07')).length, 1);

    await anthropic.messages.create(request);
    assert.equal(upstream.requests[1]?.headers['anthropic-beta'], undefined, 'no header, no betas');
    await assert.rejects(anthropic.messages.create(request, { headers: { 'anthropic-beta': 'bad beta\u00e9' } }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      assert.match(error.message, /Invalid header 'anthropic-beta'/);
      return true;
    });
    assert.equal(upstream.requests.length, 2);
  });

  it('hands redacted thinking to the client and back to Anthropic unchanged, as the next turn of a tool loop needs', async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_REDACTED) });
    const tools = [{ name: 'read_file', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } }];
    const first = { model: 'claude-haiku-4-5', max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, tools, messages: [{ role: 'user' as const, content: 'Read a.ts' }] };
    const expected = [
      { type: 'thinking', thinking: 'I should read the file.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
      { type: 'tool_use', id: 'toolu_01Read', name: 'read_file', input: { path: 'a.ts' } },
    ];
    const message = await anthropic.messages.create(first);
    assert.deepEqual(message.content, expected);
    const streamed = await anthropic.messages.stream(first).finalMessage();
    assert.deepEqual(streamed.content, expected);

    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_TEXT) });
    await anthropic.messages.create({
      ...first,
      messages: [...first.messages, { role: 'assistant', content: message.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01Read', content: 'export {}' }] }],
    });
    const sent = upstream.requests[2]?.body as { messages: Array<{ role: string; content: unknown }> };
    assert.deepEqual(sent.messages[1], { role: 'assistant', content: expected });
  });

  it('bills one-hour cache writes at the one-hour price, and tells the client how the writes split', async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(ANTHROPIC_CACHE_1H) });
    const { data: message, response } = await anthropic.messages
      .create({
        model: 'claude-haiku-4-5-20251001',
        max_tokens: 256,
        system: [{ type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello', cache_control: { type: 'ephemeral' } }] }],
      })
      .withResponse();
    assert.deepEqual(message.usage.cache_creation, { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 });
    assert.equal(message.usage.cache_creation_input_tokens, 3000);
    const id = response.headers.get('x-perpetuo-decision-id') ?? '';
    await running.endpoint.close();
    await running.headless.dispose();
    const record = openLedger({ directory: running.ledgerDir, now: Date.now, pid: process.pid }).get(id);
    assert.equal(record?.tokens.input.cacheWrite1h, 2000);
    // Haiku 4.5: $1/M input, $1.25/M five-minute write, $2/M one-hour write, $0.10/M read, $5/M output.
    // 100 input + 1,000 × 1.25 + 2,000 × 2 + 500 × 0.1 + 20 × 5 = $5,500 per million = $0.0055
    // (all writes at the five-minute price would be $0.004).
    assert.equal(record?.cost.computedUsd, 0.0055);
    assert.deepEqual(record?.cost.unknownPriceFields ?? [], []);
  });

  it("a bad provider{} field in a chat completion is a 400 naming it, not a server error", async () => {
    const openai = new OpenAI({ baseURL: `${running.endpoint.url}/v1`, apiKey: running.endpoint.token, maxRetries: 0 });
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
