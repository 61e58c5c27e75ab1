import assert from 'node:assert/strict';
import type { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { createAnthropicChatModel } from '../../../../src/core/providers/anthropic';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';
import type { ChatStreamPart, FinishPart } from '../../../../src/core/spec/chat-stream-part';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';
import { anthropicConfig, anthropicFixture, collectStreamParts, PLANTED_KEY, summarize } from './collect-stream-parts';

const MODEL = 'claude-sonnet-4-5-20250929';
const hello: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] };

function errorOf(parts: ChatStreamPart[]): PerpetuoError {
  const last = parts.at(-1);
  assert.equal(last?.type, 'error', `expected an error part, got ${JSON.stringify(summarize(parts))}`);
  return (last as { error: PerpetuoError }).error;
}

function finishOf(parts: ChatStreamPart[]): FinishPart {
  const last = parts.at(-1);
  assert.equal(last?.type, 'finish', `expected a finish part, got ${JSON.stringify(summarize(parts))}`);
  return last as FinishPart;
}

describe('createAnthropicChatModel', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  const stream = (request: ChatRequest = hello, signal = new AbortController().signal, http = {}) =>
    collectStreamParts(createAnthropicChatModel(anthropicConfig(upstream.url), MODEL, http).stream(request, signal));

  it('streams the documented basic answer, ignoring ping, with usage and stop reason', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text') });
    const parts = await stream();
    assert.deepEqual(summarize(parts), [
      'metadata:msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY:claude-opus-4-6',
      'text:Hello',
      'text:!',
      'finish:stop:end_turn',
    ]);
    const { usage } = finishOf(parts);
    assert.deepEqual(usage.inputTokens, { total: 25, noCache: 25, cacheRead: undefined, cacheWrite: undefined });
    assert.deepEqual(usage.outputTokens, { total: 15, text: 15, reasoning: undefined });
  });

  it('sends the key only in x-api-key, the version header, and a streamed body', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text') });
    await stream({ ...hello, providerOptions: { anthropic: { betas: ['pdfs-2024-09-25', 'output-128k-2025-02-19'] } } });
    const sent = upstream.requests[0];
    assert.equal(sent?.path, '/v1/messages');
    assert.equal(sent?.headers['x-api-key'], PLANTED_KEY);
    assert.equal(sent?.headers['anthropic-version'], '2023-06-01');
    assert.equal(sent?.headers['anthropic-beta'], 'pdfs-2024-09-25,output-128k-2025-02-19');
    assert.equal(sent?.headers['authorization'], undefined);
    assert.deepEqual(sent?.body, {
      model: MODEL,
      max_tokens: 16_384,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: true,
    });
  });

  it('hands over a recorded web search whole: the search, its results, cited and uncited text apart, and the searches billed', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('web-search') });
    const parts = await stream({ ...hello, providerTools: [{ api: 'anthropic', definition: { type: 'web_search_20250305', name: 'web_search' } }] });
    const blocks = parts.filter((part) => part.type === 'provider-block').map((part) => part.block);
    // The search's input, streamed in pieces, arrives parsed on the block that goes back next turn.
    assert.deepEqual(blocks[0], { type: 'server_tool_use', id: 'srvtoolu_01Bj5uzzLcYG5hfueSLcDH8k', name: 'web_search', input: { query: 'tech news today September 26 2025' } });
    assert.equal(blocks[1]?.type, 'web_search_tool_result');
    assert.deepEqual(
      (blocks[1]?.['content'] as Array<{ url: string }>).map((result) => result.url),
      [
        'https://www.crescendo.ai/news/latest-ai-news-and-updates',
        'https://future.forem.com/junyu_fang_a216509a97501d/fang-junyus-technology-weekly-september-26-2025-2ndd',
        'https://www.apple.com/newsroom/2025/09/the-all-new-apple-ginza-opens-this-friday-september-26-in-tokyo/',
      ],
    );
    assert.equal(blocks.length, 2);
    // Text before the first citation is plain; from then on each text part names its block.
    const texts = parts.flatMap((part): Array<number | string | undefined> => (part.type === 'text-delta' ? [part.blockIndex] : part.type === 'citation' ? [`cite ${part.blockIndex}`] : []));
    assert.deepEqual(texts, [undefined, undefined, undefined, undefined, undefined, 'cite 3', 'cite 3', 3, 3, 3, 3, 3, 4, 'cite 5', 5, 5, 6, 6]);
    const citation = parts.find((part) => part.type === 'citation');
    assert.equal(citation?.type === 'citation' && citation.citation['encrypted_index'], 'Eo8BCioICBgCIiRiY2JjZWJjMy1lYTFhLTRmNjktYTUwMy01YzgwNWU1Y2U0NzESDN+3yPep8hrW9WwANxoMO/sEZvNTf/xpoyVuIjDRoNaRlBo0z68VAiTpUeOWF+P5edPT3/3i60mbhvTMOTWMAyGiNjnSf0/ceg9FvmcqE5T//6pWT15OO5PH9g/jQaotEHkYBA==');
    const { usage } = finishOf(parts);
    assert.equal(usage.webSearchRequests, 1);
    assert.equal(usage.inputTokens.total, 15665);
    const sent = upstream.requests[0]?.body as { tools: unknown[] };
    assert.deepEqual(sent.tools, [{ type: 'web_search_20250305', name: 'web_search' }]);
  });

  it('reports a server tool block whose input is cut JSON as malformed, not as a block to send back', async () => {
    const items = anthropicFixture('web-search');
    const cut = items.findIndex((item) => 'data' in item && JSON.stringify(item.data).includes('r 26 2025'));
    items.splice(cut, 1);
    upstream.on('POST /v1/messages', { sse: items });
    const parts = await stream();
    assert.equal(errorOf(parts).kind, 'malformed-response');
    assert.equal(parts.some((part) => part.type === 'provider-block'), false);
  });

  it('assembles a tool call from input_json_delta fragments into the full JSON', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('tool-use') });
    const parts = await stream();
    const summary = summarize(parts);
    assert.equal(summary.filter((s) => String(s).startsWith('text:')).length, 13);
    const toolParts = summary.filter((s) => String(s).startsWith('tool'));
    assert.deepEqual(toolParts, [
      'tool-start:toolu_01T1x1fJ34qAmk2tNTrN7Up6:get_weather',
      'tool-delta:{"location":',
      'tool-delta: "San',
      'tool-delta: Francisc',
      'tool-delta:o,',
      'tool-delta: CA"',
      'tool-delta:,',
      'tool-delta: "unit": "fah',
      'tool-delta:renheit"}',
      'tool-call:get_weather:{"location": "San Francisco, CA", "unit": "fahrenheit"}',
    ]);
    const call = parts.find((p) => p.type === 'tool-call');
    assert.deepEqual(JSON.parse(call?.type === 'tool-call' ? call.input : ''), { location: 'San Francisco, CA', unit: 'fahrenheit' });
    assert.equal(summary.at(-1), 'finish:tool-calls:tool_use');
    assert.equal(finishOf(parts).usage.outputTokens.total, 89);
  });

  it('emits {} for a tool call that streamed no arguments', async () => {
    upstream.on('POST /v1/messages', {
      sse: [
        anthropicFixture('tool-use')[0]!,
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'now', input: {} } } },
        { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } } },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
        { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } } },
        { event: 'message_stop', data: { type: 'message_stop' } },
      ],
    });
    const parts = await stream();
    assert.deepEqual(summarize(parts).slice(1), ['tool-start:toolu_1:now', 'tool-call:now:{}', 'finish:tool-calls:tool_use']);
  });

  it('streams thinking and hands the signature over when the block closes', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('thinking') });
    const parts = await stream();
    assert.deepEqual(summarize(parts), [
      'metadata:msg_01...:claude-opus-4-6',
      'reasoning:I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147',
      'reasoning:\n462 = 3 × 147 + 21',
      'reasoning:\n147 = 7 × 21 + 0',
      'reasoning:\nThe remainder is 0, so GCD(1071, 462) = 21.',
      'signature:EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
      'text:The greatest common divisor of 1071 and 462 is **21**.',
      'finish:stop:end_turn',
    ]);
    // No usage in the docs' example: every count stays unknown, none becomes a zero.
    const { usage } = finishOf(parts);
    assert.deepEqual(usage.inputTokens, { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined });
    assert.deepEqual(usage.outputTokens, { total: undefined, text: undefined, reasoning: undefined });
  });

  it('counts cache reads and writes and takes cumulative message_delta usage as the latest, not a sum', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('cache-usage') });
    const parts = await stream();
    const { usage } = finishOf(parts);
    assert.deepEqual(usage.inputTokens, { total: 21 + 188_086 + 1_500, noCache: 21, cacheRead: 1_500, cacheWrite: 188_086 });
    assert.equal(usage.outputTokens.total, 25);
    assert.deepEqual(usage.raw, {
      message_start: { input_tokens: 21, cache_creation_input_tokens: 188_086, cache_read_input_tokens: 1_500, output_tokens: 1 },
      message_delta: { output_tokens: 25 },
    });
  });

  it('takes input and cache counts repeated in message_delta as the final word', async () => {
    const items = anthropicFixture('text');
    items[6] = {
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 10_682, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 510 } },
    };
    upstream.on('POST /v1/messages', { sse: items });
    const { usage } = finishOf(await stream());
    assert.deepEqual(usage.inputTokens, { total: 10_682, noCache: 10_682, cacheRead: 0, cacheWrite: 0 });
    assert.equal(usage.outputTokens.total, 510);
  });

  it('turns an overloaded_error inside a 200 stream, before any content, into the first and only part', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('overloaded-before-content') });
    const parts = await stream();
    assert.equal(parts.length, 1);
    const error = errorOf(parts);
    assert.equal(error.kind, 'overloaded');
    assert.equal(error.isRetryable, true);
    assert.equal(error.providerCode, 'overloaded_error');
    assert.equal(error.statusCode, undefined);
  });

  it('ends with an error part when the stream fails after text', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('error-after-text') });
    const parts = await stream();
    assert.deepEqual(summarize(parts), ['metadata:msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY:claude-opus-4-6', 'text:Hello', 'error:overloaded']);
  });

  for (const chunkSize of [1, 2, 3, 4, 5, 6, 7]) {
    it(`reassembles events split into ${chunkSize}-byte chunks with CRLF line ends`, async () => {
      upstream.on('POST /v1/messages', { sse: anthropicFixture('thinking'), chunkSize, crlf: true });
      const parts = await stream();
      assert.equal(summarize(parts).at(-1), 'finish:stop:end_turn');
      const reasoning = parts.map((p) => (p.type === 'reasoning-delta' ? p.delta : '')).join('');
      assert.match(reasoning, /1071 = 2 × 462 \+ 147\n462 = 3 × 147 \+ 21/);
    });
  }

  it('turns a malformed chunk into an error part carrying the raw text', async () => {
    const items = anthropicFixture('text');
    items.splice(4, 0, { raw: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n' });
    upstream.on('POST /v1/messages', { sse: items });
    const parts = await stream();
    assert.deepEqual(summarize(parts), ['metadata:msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY:claude-opus-4-6', 'text:Hello', 'error:malformed-response']);
    assert.match(errorOf(parts).responseBody ?? '', /"type":"text_de/);
  });

  it('rejects a known event that breaks its schema rather than skipping it', async () => {
    const items = anthropicFixture('text');
    items[3] = { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } } };
    upstream.on('POST /v1/messages', { sse: items });
    assert.equal(errorOf(await stream()).kind, 'malformed-response');
  });

  it('rejects a delta for a block that was never started', async () => {
    const items = anthropicFixture('text');
    items[3] = { event: 'content_block_delta', data: { type: 'content_block_delta', index: 5, delta: { type: 'text_delta', text: 'lost' } } };
    upstream.on('POST /v1/messages', { sse: items });
    assert.equal(errorOf(await stream()).kind, 'malformed-response');
  });

  it('ignores event and delta types added after this adapter was written', async () => {
    const items = anthropicFixture('text');
    items.splice(3, 0, { event: 'brand_new_event', data: { type: 'brand_new_event', detail: 1 } });
    items.splice(4, 0, { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'brand_new_delta', detail: {} } } });
    upstream.on('POST /v1/messages', { sse: items });
    assert.deepEqual(summarize(await stream()).slice(1), ['text:Hello', 'text:!', 'finish:stop:end_turn']);
  });

  it('reports a stream that ends without message_stop as an error, not a finish', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text').slice(0, -1) });
    const parts = await stream();
    assert.equal(errorOf(parts).kind, 'malformed-response');
    assert.equal(parts.some((p) => p.type === 'finish'), false);
  });

  it('does not flush a tool call whose block was cut off', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('tool-use').slice(0, 22) });
    const parts = await stream();
    assert.equal(parts.some((p) => p.type === 'tool-call'), false);
    assert.equal(errorOf(parts).kind, 'malformed-response');
  });

  it('ends a stalled stream with a timeout error', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text'), stallAfter: 4 });
    const closed = upstream.nextClose();
    const parts = await stream(hello, new AbortController().signal, { idleTimeoutMs: 150 });
    assert.deepEqual(summarize(parts).slice(-2), ['text:Hello', 'error:timeout']);
    await closed;
  });

  it('turns a socket reset mid-stream into a retryable network error', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text'), resetAfter: 4 });
    const error = errorOf(await stream());
    assert.equal(error.kind, 'network');
    assert.equal(error.isRetryable, true);
  });

  it('maps 401 authentication_error to auth, not retryable', async () => {
    upstream.on('POST /v1/messages', { status: 401, json: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    const parts = await stream();
    assert.equal(parts.length, 1);
    const error = errorOf(parts);
    assert.deepEqual([error.kind, error.statusCode, error.isRetryable, error.providerCode], ['auth', 401, false, 'authentication_error']);
  });

  it('maps 429 rate_limit_error to rate-limit and honours retry-after', async () => {
    upstream.on('POST /v1/messages', {
      status: 429,
      headers: { 'retry-after': '17' },
      json: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
    });
    const error = errorOf(await stream());
    assert.deepEqual([error.kind, error.isRetryable, error.retryAfterSeconds], ['rate-limit', true, 17]);
  });

  it('maps 529 overloaded_error to overloaded, retryable', async () => {
    upstream.on('POST /v1/messages', { status: 529, json: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const error = errorOf(await stream());
    assert.deepEqual([error.kind, error.statusCode, error.isRetryable], ['overloaded', 529, true]);
  });

  it('maps a 400 "prompt is too long" to context-length', async () => {
    upstream.on('POST /v1/messages', {
      status: 400,
      json: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' },
    });
    const error = errorOf(await stream());
    assert.deepEqual([error.kind, error.isRetryable], ['context-length', false]);
    assert.match(error.message, /prompt is too long/);
  });

  it('closes the upstream connection when the caller aborts', async () => {
    upstream.on('POST /v1/messages', { sse: anthropicFixture('text'), stallAfter: 4 });
    const controller = new AbortController();
    const closed = upstream.nextClose();
    const parts: ChatStreamPart[] = [];
    for await (const part of createAnthropicChatModel(anthropicConfig(upstream.url), MODEL).stream(hello, controller.signal)) {
      parts.push(part);
      if (part.type === 'text-delta') {
        controller.abort();
      }
    }
    // The server was told to stall with the socket open: only our abort can close it.
    await closed;
    assert.equal(upstream.requests.length, 1);
    assert.equal(errorOf(parts).kind, 'cancelled');
  });

  it('serves two interleaved streams on one instance without mixing them', async () => {
    upstream.on('POST /v1/messages', (req) => {
      const prompt = ((req.body as { messages: Array<{ content: Array<{ text: string }> }> }).messages[0]?.content[0]?.text ?? '').toUpperCase();
      const items = anthropicFixture('tool-use').map((item) => JSON.parse(JSON.stringify(item).replaceAll('get_weather', `tool_${prompt}`).replaceAll('San', prompt)) as typeof item);
      return { sse: items, delayMs: 2, chunkSize: 40 };
    });
    const model = createAnthropicChatModel(anthropicConfig(upstream.url), MODEL);
    const ask = (text: string) => collectStreamParts(model.stream({ messages: [{ role: 'user', content: [{ type: 'text', text }] }] }, new AbortController().signal));
    const [a, b] = await Promise.all([ask('alpha'), ask('beta')]);
    const call = (parts: ChatStreamPart[]) => parts.find((p): p is Extract<ChatStreamPart, { type: 'tool-call' }> => p.type === 'tool-call');
    assert.deepEqual([call(a)?.toolName, JSON.parse(call(a)?.input ?? '')], ['tool_ALPHA', { location: 'ALPHA Francisco, CA', unit: 'fahrenheit' }]);
    assert.deepEqual([call(b)?.toolName, JSON.parse(call(b)?.input ?? '')], ['tool_BETA', { location: 'BETA Francisco, CA', unit: 'fahrenheit' }]);
    const text = (parts: ChatStreamPart[]) => parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
    assert.equal(text(a), "Okay, let's check the weather for ALPHA Francisco, CA:");
    assert.equal(text(b), "Okay, let's check the weather for BETA Francisco, CA:");
  });

  it('never lets the planted key reach an error message, stack, body or part', async () => {
    upstream.on('POST /v1/messages', {
      status: 401,
      json: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${PLANTED_KEY}` } },
    });
    const httpParts = await stream();
    upstream.on('POST /v1/messages', {
      sse: [{ event: 'error', data: { type: 'error', error: { type: 'api_error', message: `internal error for key ${PLANTED_KEY}` } } }],
    });
    const streamParts = await stream();
    const network = await collectStreamParts(
      createAnthropicChatModel({ ...anthropicConfig('http://127.0.0.1:9'), baseUrl: 'http://127.0.0.1:9/v1' }, MODEL).stream(hello, new AbortController().signal),
    );
    for (const parts of [httpParts, streamParts, network]) {
      const error = errorOf(parts);
      const everything = [JSON.stringify(parts), JSON.stringify(error), error.message, String(error.stack), error.responseBody ?? '', String(error)].join('\n');
      assert.doesNotMatch(everything, /PLANTEDkey/);
    }
    assert.equal(errorOf(streamParts).kind, 'server');
    assert.equal(errorOf(network).kind, 'network');
  });

  it('refuses audio input with an invalid-request error naming the file, before any request', async () => {
    const parts = await stream({
      messages: [{ role: 'user', content: [{ type: 'audio', source: { kind: 'base64', data: 'AAAA' }, mediaType: 'audio/wav', filename: 'standup.wav' }] }],
    });
    assert.equal(parts.length, 1);
    const error = errorOf(parts);
    assert.equal(error.kind, 'invalid-request');
    assert.match(error.message, /standup\.wav/);
    assert.match(error.message, /Anthropic does not accept audio input/);
    assert.equal(upstream.requests.length, 0);
  });
});
