import assert from 'node:assert/strict';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { readSseFixture, type FakeUpstream } from '../../support/fake-upstream';
import { startRealEngineEndpoint, type RealEngineEndpoint } from '../../support/real-engine-endpoint';

const WEB_SEARCH = join(__dirname, '../../fixtures/anthropic/web-search.jsonl');
const OPENAI_TEXT = join(__dirname, '../../fixtures/openai-compatible/openai-text-usage.jsonl');
const webSearch = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 2 };
const question = [{ role: 'user' as const, content: 'What is in the tech news today?' }];

/**
 * Claude Code's WebSearch tool (and any client of Anthropic's server tools) through the endpoint:
 * the search runs at Anthropic, so the request goes only to an Anthropic provider; the search, its
 * results and the citations come back as Anthropic sent them, go back to it unchanged next turn,
 * and each search is billed in the ledger at Anthropic's $10 per 1,000.
 */
describe("endpoint: Anthropic's own tools (web search as Claude Code uses it, the text editor)", () => {
  let running: RealEngineEndpoint;
  let upstream: FakeUpstream;
  let anthropic: Anthropic;

  beforeEach(async () => {
    running = await startRealEngineEndpoint(
      (url) => ({
        providers: [
          { id: 'anthropic', kind: 'anthropic', baseUrl: `${url}/anthropic/v1`, apiKey: 'sk-ant-api03-search000000000000000' },
          { id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${url}/openrouter/v1`, apiKey: 'sk-or-v1-search0000000000000000000' },
        ],
      }),
      { app: 'claude-code' },
    );
    upstream = running.upstream;
    anthropic = new Anthropic({ baseURL: running.endpoint.url, apiKey: running.endpoint.token, maxRetries: 0 });
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(WEB_SEARCH) });
  });
  afterEach(() => running.close());

  it('streams the search, its results and the cited text to the official SDK, and bills the search', async () => {
    // provider.order puts OpenRouter first: it cannot run the search, so it is passed over.
    const body = { model: 'claude-haiku-4-5', max_tokens: 1024, tools: [webSearch], messages: question, provider: { order: ['openrouter'] } };
    const stream = anthropic.messages.stream(body as Anthropic.MessageStreamParams);
    const message = await stream.finalMessage();
    const response = await stream.withResponse();
    assert.deepEqual(
      message.content.map((block) => block.type),
      ['server_tool_use', 'web_search_tool_result', 'text', 'text', 'text', 'text', 'text'],
    );
    const [search, results, intro, cited] = message.content;
    assert.deepEqual(search?.type === 'server_tool_use' && search.input, { query: 'tech news today September 26 2025' });
    assert.equal(results?.type === 'web_search_tool_result' && Array.isArray(results.content) && results.content.length, 3);
    assert.equal(intro?.type === 'text' && (intro.citations ?? []).length, 0);
    assert.equal(cited?.type === 'text' && cited.text, "Apple today announced the grand reopening of Apple Ginza on Friday, September 26, located in the vibrant Ginza district where Apple's retail journey in Japan began more than two decades ago. Apple Ginza opens to customers Friday, September 26, at 10 a.m. JST.");
    assert.deepEqual(cited?.type === 'text' && cited.citations?.map((citation) => citation.type), ['web_search_result_location', 'web_search_result_location']);
    assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1 });

    assert.equal(upstream.requests.filter((request) => request.path.startsWith('/openrouter')).length, 0);
    assert.deepEqual((upstream.requests[0]?.body as { tools: unknown }).tools, [webSearch]);
    const id = response.response.headers.get('x-perpetuo-decision-id') ?? '';
    await running.endpoint.close();
    await running.headless.dispose();
    const record = openLedger({ directory: running.ledgerDir, now: Date.now, pid: process.pid }).get(id);
    assert.equal(record?.served.provider, 'anthropic');
    // Haiku 4.5: $1/M input, $5/M output; 15,665 in, 795 out, one search at $0.01: $0.02964.
    assert.equal(record?.cost.computedUsd, 0.02964);
    assert.match(JSON.stringify(record?.decision), /Anthropic's web_search tool \(web_search_20250305\) can only be sent to Anthropic, and openrouter is not an Anthropic provider/);
  });

  it('answers the same search non-streamed, cited and uncited text in their own blocks', async () => {
    const message = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, tools: [webSearch], messages: question });
    assert.deepEqual(
      message.content.map((block) => (block.type === 'text' ? `text ${block.citations?.length ?? 0}` : block.type)),
      ['server_tool_use', 'web_search_tool_result', 'text 0', 'text 2', 'text 0', 'text 1', 'text 0'],
    );
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(message.usage.server_tool_use, { web_search_requests: 1 });
  });

  it('sends the search, its encrypted results and the citations back to Anthropic unchanged on the next turn', async () => {
    const first = await anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 1024, tools: [webSearch], messages: question }).finalMessage();
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(join(__dirname, '../../fixtures/anthropic/text.jsonl')) });
    const history: Anthropic.MessageParam[] = [...question, { role: 'assistant', content: first.content }, { role: 'user', content: 'And Apple?' }];
    await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, tools: [webSearch], messages: history });
    const sent = upstream.requests[1]?.body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    const turn = sent.messages[1]?.content ?? [];
    const recorded = readSseFixture(WEB_SEARCH).flatMap((item) => ('data' in item && typeof item.data === 'object' ? [item.data as Record<string, unknown>] : []));
    const resultsBlock = recorded.find((event) => (event['content_block'] as { type?: string } | undefined)?.type === 'web_search_tool_result')?.['content_block'];
    assert.deepEqual(turn[0], { type: 'server_tool_use', id: 'srvtoolu_01Bj5uzzLcYG5hfueSLcDH8k', name: 'web_search', input: { query: 'tech news today September 26 2025' } });
    assert.deepEqual(turn[1], resultsBlock, 'the results go back byte for byte, encrypted content included');
    const citedText = turn.find((block) => Array.isArray(block['citations']) && (block['citations'] as unknown[]).length > 0);
    assert.deepEqual(
      (citedText?.['citations'] as Array<{ encrypted_index: string }>).map((citation) => citation.encrypted_index.slice(0, 20)),
      ['Eo8BCioICBgCIiRiY2Jj', 'Eo8BCioICBgCIiRiY2Jj'],
    );
    assert.equal(turn.length, 7);
  });

  it("passes Anthropic's client tools with a known schema (text editor) to Anthropic beside ours, and hands their calls out as tool_use", async () => {
    upstream.on('POST /anthropic/v1/messages', { sse: readSseFixture(join(__dirname, '../../fixtures/anthropic/tool-use.jsonl')) });
    const editor = { type: 'text_editor_20250728' as const, name: 'str_replace_based_edit_tool' as const };
    const weather = { name: 'get_weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } };
    const message = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, tools: [weather, editor], messages: question });
    assert.deepEqual((upstream.requests[0]?.body as { tools: unknown }).tools, [weather, editor]);
    assert.deepEqual(message.content.at(-1), { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'fahrenheit' } });
  });

  it('is a 400 naming the field for a tool type that is neither ours nor one of Anthropic\'s dated types', async () => {
    const tools = [{ type: 'web_search', name: 'web_search' }] as unknown as Anthropic.ToolUnion[];
    await assert.rejects(anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, tools, messages: question }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      const body = error.error as { error: { message: string } };
      assert.equal(body.error.message, `Invalid field 'tools[0].type': expected "custom" or one of Anthropic's dated tool types`);
      return true;
    });
    assert.equal(upstream.requests.length, 0);
  });

  it('is a 404 naming the reason when no Anthropic provider can take the search, and nothing is sent', async () => {
    await running.close();
    running = await startRealEngineEndpoint((url) => ({
      providers: [{ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${url}/openrouter/v1`, apiKey: 'sk-or-v1-search0000000000000000000' }],
    }));
    running.upstream.on('POST /openrouter/v1/chat/completions', { sse: readSseFixture(OPENAI_TEXT) });
    const client = new Anthropic({ baseURL: running.endpoint.url, apiKey: running.endpoint.token, maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, tools: [webSearch], messages: question }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.NotFoundError, String(error));
      assert.match(error.message, /Anthropic's web_search tool \(web_search_20250305\) can only be sent to Anthropic; anthropic\/claude-haiku-4\.5 via openrouter cannot serve this request\. Add an Anthropic key/);
      return true;
    });
    assert.equal(running.upstream.requests.length, 0);
  });
});
