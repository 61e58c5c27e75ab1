import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGeminiChatModel } from '../../../../src/core/providers/gemini/gemini-chat-model';
import { untagGeminiThoughtSignature } from '../../../../src/core/providers/gemini/tag-gemini-thought-signature';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';
import type { ChatStreamPart } from '../../../../src/core/spec/chat-stream-part';
import { readSseFixture } from '../../../support/fake-upstream';
import { collect, errorOf, errorReply, fixture, leakSurface, PLANTED_KEY, useGeminiUpstream } from './gemini-test-support';

const MODEL = 'gemini-2.5-flash';
const ROUTE = `POST /v1beta/models/${MODEL}:streamGenerateContent`;
const hello: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Explain how AI works in a few words' }] }] };

const deltas = (parts: ChatStreamPart[], type: 'text-delta' | 'reasoning-delta') =>
  parts.map((p) => (p.type === type ? p.delta : '')).join('');
const finishOf = (parts: ChatStreamPart[]) => {
  const last = parts.at(-1);
  return last?.type === 'finish' ? last : undefined;
};

describe('createGeminiChatModel', () => {
  const t = useGeminiUpstream();

  const model = (modelId = MODEL, http = {}) => createGeminiChatModel(t.config, modelId, { dispatcher: t.recorder.agent, ...http });
  const run = (request: ChatRequest = hello, modelId = MODEL, http = {}) => collect(model(modelId, http).stream(request, new AbortController().signal));

  it('streams text, then one finish with the final usage, after the response metadata', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')) });
    const parts = await run();
    assert.deepEqual(parts[0], { type: 'response-metadata', id: 'mR9oaKb6N9rVvdIPuMHQ6Ag', modelId: 'gemini-2.5-flash' });
    assert.equal(deltas(parts, 'text-delta'), 'AI learns patterns from data to make predictions — «vite», 日本語.');
    assert.deepEqual(finishOf(parts)?.finishReason, { unified: 'stop', raw: 'STOP' });
    assert.deepEqual(finishOf(parts)?.usage.inputTokens, { total: 8, noCache: 8, cacheRead: 0, cacheWrite: 0 });
    assert.deepEqual(finishOf(parts)?.usage.outputTokens, { total: 17, text: 17, reasoning: 0 });
    assert.equal(parts.filter((p) => p.type === 'finish').length, 1);
  });

  it('sends the key only in x-goog-api-key, never in the URL, to the documented endpoint', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')) });
    await run();
    const request = t.upstream.requests[0];
    assert.equal(request?.headers['x-goog-api-key'], PLANTED_KEY);
    assert.equal(request?.headers.authorization, undefined);
    assert.deepEqual(t.recorder.urls, [`${t.upstream.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`]);
    for (const url of t.recorder.urls) {
      assert.doesNotMatch(url, /key=/i);
      assert.equal(url.includes(PLANTED_KEY), false);
    }
    assert.deepEqual(request?.body, { contents: [{ role: 'user', parts: [{ text: 'Explain how AI works in a few words' }] }] });
  });

  it('streams thought summaries as reasoning and counts thought tokens as output', async () => {
    t.upstream.on('POST /v1beta/models/gemini-3-flash-preview:streamGenerateContent', { sse: readSseFixture(fixture('thoughts.jsonl')) });
    const parts = await run({ ...hello, reasoningEffort: 'medium' }, 'gemini-3-flash-preview');
    assert.equal(
      deltas(parts, 'reasoning-delta'),
      "**Laying out the invoice**\n\nI'm listing the line items first, then the totals.**Checking the terms**\n\nPayment due in 30 days.",
    );
    assert.equal(deltas(parts, 'text-delta'), 'INVOICE #1024\nThank you for your business!');
    const usage = finishOf(parts)?.usage;
    assert.deepEqual(usage?.outputTokens, { total: 856, text: 418, reasoning: 438 });
    assert.equal((usage?.inputTokens.total ?? 0) + (usage?.outputTokens.total ?? 0), 890);
    const signature = parts.find((p) => p.type === 'reasoning-delta' && p.signature !== undefined);
    assert.equal(signature?.type === 'reasoning-delta' && untagGeminiThoughtSignature(signature.signature), 'CiQBVKhc7sig3xYzAbCdEf0123==');
    const body = t.upstream.requests[0]?.body as { generationConfig?: unknown };
    assert.deepEqual(body.generationConfig, { thinkingConfig: { includeThoughts: true, thinkingLevel: 'medium' } });
  });

  it('emits a whole function call as tool-call-start + tool-call, finishing with tool-calls', async () => {
    t.upstream.on('POST /v1beta/models/gemini-3-pro-preview:streamGenerateContent', { sse: readSseFixture(fixture('function-call.jsonl')) });
    const parts = await run(
      { ...hello, tools: [{ name: 'check_flight', inputSchema: { type: 'object', properties: { flight: { type: 'string' } } } }] },
      'gemini-3-pro-preview',
    );
    const calls = parts.filter((p) => p.type === 'tool-call-start' || p.type === 'tool-call');
    assert.equal(calls.length, 2);
    const [start, call] = calls;
    assert.equal(start?.type === 'tool-call-start' && start.toolName, 'check_flight');
    assert.equal(call?.type === 'tool-call' && call.input, '{"flight":"AA100"}');
    assert.equal(start?.type === 'tool-call-start' && call?.type === 'tool-call' && start.toolCallId === call.toolCallId, true);
    assert.deepEqual(finishOf(parts)?.finishReason, { unified: 'tool-calls', raw: 'STOP' });
    // The signature precedes the call it belongs to.
    const signatureIndex = parts.findIndex((p) => p.type === 'reasoning-delta' && p.signature !== undefined);
    assert.ok(signatureIndex >= 0 && signatureIndex < parts.indexOf(start as ChatStreamPart));
  });

  it('gives parallel calls distinct ids and replays them, with the signature, into the next request', async () => {
    t.upstream.on('POST /v1beta/models/gemini-3-pro-preview:streamGenerateContent', { sse: readSseFixture(fixture('parallel-function-calls.jsonl')) });
    const parts = await run(hello, 'gemini-3-pro-preview');
    const ends = parts.filter((p): p is Extract<ChatStreamPart, { type: 'tool-call' }> => p.type === 'tool-call');
    assert.deepEqual(
      ends.map((c) => JSON.parse(c.input) as unknown),
      [{ location: 'Paris' }, { location: 'London' }],
    );
    assert.notEqual(ends[0]?.toolCallId, ends[1]?.toolCallId);

    // Assemble the assistant turn the way a consumer does, and send it back.
    const signature = parts.find((p): p is Extract<ChatStreamPart, { type: 'reasoning-delta' }> => p.type === 'reasoning-delta' && p.signature !== undefined);
    const next: ChatRequest = {
      messages: [
        ...hello.messages,
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: deltas(parts, 'reasoning-delta'), signature: signature?.signature },
            ...ends.map((c) => ({ type: 'tool-call' as const, toolCallId: c.toolCallId, toolName: c.toolName, input: JSON.parse(c.input) as unknown })),
          ],
        },
        {
          role: 'tool',
          content: ends.map((c, i) => ({ type: 'tool-result' as const, toolCallId: c.toolCallId, toolName: c.toolName, output: `{"temperature":${20 + i}}` })),
        },
      ],
    };
    await run(next, 'gemini-3-pro-preview');
    const sent = t.upstream.requests[1]?.body as { contents: unknown[] };
    assert.deepEqual(sent.contents.slice(1), [
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_current_temperature', args: { location: 'Paris' } }, thoughtSignature: 'U2lnbmF0dXJlX1BhcmFsbGVsX0E=' },
          { functionCall: { name: 'get_current_temperature', args: { location: 'London' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_current_temperature', response: { output: '{"temperature":20}' } } },
          { functionResponse: { name: 'get_current_temperature', response: { output: '{"temperature":21}' } } },
        ],
      },
    ]);
  });

  it('sends images, audio, video and PDF inline in the outgoing body', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')) });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n').toString('base64');
    await run({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgoAAAANSUhEUg==' }, mediaType: 'image/png' },
            { type: 'audio', source: { kind: 'base64', data: 'SUQzBAAAAAAAI1RTU0U=' }, mediaType: 'audio/mpeg' },
            { type: 'video', source: { kind: 'base64', data: 'AAAAHGZ0eXBtcDQy' }, mediaType: 'video/mp4' },
            { type: 'file', source: { kind: 'base64', data: pdf }, mediaType: 'application/pdf', filename: 'spec.pdf' },
          ],
        },
      ],
    });
    const body = t.upstream.requests[0]?.body as { contents: Array<{ parts: unknown[] }> };
    assert.deepEqual(body.contents[0]?.parts.slice(1), [
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
      { inlineData: { mimeType: 'audio/mp3', data: 'SUQzBAAAAAAAI1RTU0U=' } },
      { inlineData: { mimeType: 'video/mp4', data: 'AAAAHGZ0eXBtcDQy' } },
      { inlineData: { mimeType: 'application/pdf', data: pdf } },
    ]);
  });

  it('decodes percent-encoded data: URLs byte for byte, and names MP3 and MOV as Gemini lists them', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')) });
    // 0x89 0xFF 0x00 are not UTF-8: decoding them as text would turn each into EF BF BD.
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0x80]);
    const percent = [...binary].map((byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');
    await run({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { kind: 'url', url: `data:image/png,${percent}` }, mediaType: 'image/png' },
            { type: 'audio', source: { kind: 'url', url: 'data:audio/mpeg;base64,SUQzBAAA\nAAAAI1RTU0U' }, mediaType: 'audio/mpeg' },
            { type: 'video', source: { kind: 'base64', data: 'AAAAFGZ0eXBxdCAg' }, mediaType: 'video/quicktime', filename: 'clip.mov' },
            { type: 'video', source: { kind: 'url', url: 'https://example.com/clip.mov' }, mediaType: 'video/quicktime' },
          ],
        },
      ],
    });
    const body = t.upstream.requests[0]?.body as { contents: Array<{ parts: unknown[] }> };
    assert.deepEqual(body.contents[0]?.parts, [
      { inlineData: { mimeType: 'image/png', data: binary.toString('base64') } },
      { inlineData: { mimeType: 'audio/mp3', data: 'SUQzBAAAAAAAI1RTU0U=' } },
      { inlineData: { mimeType: 'video/mov', data: 'AAAAFGZ0eXBxdCAg' } },
      { fileData: { mimeType: 'video/mov', fileUri: 'https://example.com/clip.mov' } },
    ]);
  });

  it('refuses a malformed data: URL before sending anything', async () => {
    const parts = await run({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'data:image/png;base64,not*base64' }, mediaType: 'image/png', filename: 'shot.png' }] }] });
    assert.equal(parts.length, 1);
    assert.equal(errorOf(parts[0])?.kind, 'invalid-request');
    assert.match(errorOf(parts[0])?.message ?? '', /shot\.png.*data: URL/);
    assert.equal(t.upstream.requests.length, 0);
  });

  it('refuses a request with a file Gemini cannot take before sending anything', async () => {
    const parts = await run({
      messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'file:///home/me/cat.png' }, mediaType: 'image/png', filename: 'cat.png' }] }],
    });
    assert.equal(parts.length, 1);
    assert.equal(errorOf(parts[0])?.kind, 'invalid-request');
    assert.match(errorOf(parts[0])?.message ?? '', /cat\.png/);
    assert.equal(t.upstream.requests.length, 0);
  });

  it('takes the latest usage record, never the sum, with cached and thought tokens', async () => {
    t.upstream.on('POST /v1beta/models/gemini-2.5-pro:streamGenerateContent', { sse: readSseFixture(fixture('cached-usage.jsonl')) });
    const usage = finishOf(await run(hello, 'gemini-2.5-pro'))?.usage;
    assert.deepEqual(usage?.inputTokens, { total: 5000, noCache: 800, cacheRead: 4200, cacheWrite: 0 });
    assert.deepEqual(usage?.outputTokens, { total: 42, text: 30, reasoning: 12 });
    assert.equal((usage?.raw as { totalTokenCount: number }).totalTokenCount, 5042);
  });

  it('ends with a content-filter error when the prompt is blocked', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('prompt-blocked.jsonl')) });
    const parts = await run();
    const error = errorOf(parts.at(-1));
    assert.equal(error?.kind, 'content-filter');
    assert.equal(error?.providerCode, 'PROHIBITED_CONTENT');
    assert.equal(parts.some((p) => p.type === 'finish'), false);
  });

  it('finishes with content-filter, and the usage to bill, when a candidate is stopped for SAFETY', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('candidate-safety.jsonl')) });
    const parts = await run();
    assert.equal(deltas(parts, 'text-delta'), 'Here is how the lock');
    assert.deepEqual(finishOf(parts)?.finishReason, { unified: 'content-filter', raw: 'SAFETY' });
    assert.deepEqual(finishOf(parts)?.usage.outputTokens, { total: 5, text: 5, reasoning: 0 });
  });

  it('turns an error object inside the 200 stream into a retryable error part after the content', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('mid-stream-error.jsonl')) });
    const parts = await run();
    assert.equal(deltas(parts, 'text-delta'), 'Partial answer');
    const error = errorOf(parts.at(-1));
    assert.equal(error?.kind, 'overloaded');
    assert.equal(error?.isRetryable, true);
    assert.equal(error?.statusCode, 503);
    assert.match(error?.message ?? '', /in the stream/);
  });

  for (const chunkSize of [1, 2, 3, 4, 5, 6, 7]) {
    it(`reassembles CRLF events split into ${chunkSize}-byte network chunks`, async () => {
      t.upstream.on(ROUTE, { sse: readSseFixture(fixture('thoughts.jsonl')), chunkSize, crlf: true });
      const parts = await run(hello, MODEL);
      assert.equal(deltas(parts, 'text-delta'), 'INVOICE #1024\nThank you for your business!');
      assert.equal(finishOf(parts)?.usage.outputTokens.total, 856);
    });
  }

  it('ends with a malformed-response error carrying the raw text of a broken chunk', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('malformed.jsonl')) });
    const parts = await run();
    assert.equal(deltas(parts, 'text-delta'), 'Before the break');
    const error = errorOf(parts.at(-1));
    assert.equal(error?.kind, 'malformed-response');
    assert.match(error?.responseBody ?? '', /"text": "cut/);
    assert.equal(parts.some((p) => p.type === 'finish'), false);
  });

  it('reports a stream that closes without a finish reason', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('no-finish.jsonl')) });
    const parts = await run();
    assert.equal(deltas(parts, 'text-delta'), 'The answer is forty');
    assert.equal(errorOf(parts.at(-1))?.kind, 'malformed-response');
    assert.match(errorOf(parts.at(-1))?.message ?? '', /without a finish/);
  });

  it('ends a stalled stream with a timeout and closes the connection', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')), stallAfter: 1 });
    const closed = t.upstream.nextClose();
    const parts = await run(hello, MODEL, { idleTimeoutMs: 150 });
    assert.equal(deltas(parts, 'text-delta'), 'AI learns patterns');
    assert.equal(errorOf(parts.at(-1))?.kind, 'timeout');
    await closed;
  });

  it('turns a socket reset mid-stream into a retryable network error', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')), resetAfter: 1 });
    const error = errorOf((await run()).at(-1));
    assert.ok(error && ['network', 'malformed-response'].includes(error.kind), `got ${error?.kind}`);
    assert.equal(error?.isRetryable, true);
  });

  const statuses: Array<[string, string, boolean]> = [
    ['api-key-invalid', 'auth', false],
    ['context-length', 'context-length', false],
    ['permission-denied', 'permission', false],
    ['rate-limit', 'rate-limit', true],
    ['unavailable', 'overloaded', true],
  ];
  for (const [name, kind, retryable] of statuses) {
    it(`maps HTTP ${errorReply(name).status} (${name}) to one ${kind} error part`, async () => {
      t.upstream.on(ROUTE, errorReply(name));
      const parts = await run();
      assert.equal(parts.length, 1);
      assert.equal(errorOf(parts[0])?.kind, kind);
      assert.equal(errorOf(parts[0])?.isRetryable, retryable);
      assert.equal(errorOf(parts[0])?.statusCode, errorReply(name).status);
    });
  }

  it('carries the 429 retry delay to the router', async () => {
    t.upstream.on(ROUTE, errorReply('rate-limit'));
    assert.equal(errorOf((await run())[0])?.retryAfterSeconds, 5);
  });

  it('closes the upstream connection when the caller aborts', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')), stallAfter: 1 });
    const controller = new AbortController();
    const closed = t.upstream.nextClose();
    const parts: ChatStreamPart[] = [];
    for await (const part of model().stream(hello, controller.signal)) {
      parts.push(part);
      if (part.type === 'text-delta') {
        controller.abort();
      }
    }
    await closed;
    assert.equal(errorOf(parts.at(-1))?.kind, 'cancelled');
  });

  it('serves two interleaved streams on one instance without mixing text, ids or usage', async () => {
    t.upstream.on('POST /v1beta/models/gemini-3-pro-preview:streamGenerateContent', (request) => {
      const text = JSON.stringify(request.body);
      const city = text.includes('Paris') ? 'Paris' : 'Tokyo';
      const tokens = city === 'Paris' ? 11 : 22;
      return {
        delayMs: 3,
        sse: [
          ...[1, 2, 3].map((n) => ({ data: { candidates: [{ content: { role: 'model', parts: [{ text: `${city}${n} ` }] } }] } })),
          { data: { candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { city } } }] } }] } },
          {
            data: {
              candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }],
              usageMetadata: { promptTokenCount: tokens, candidatesTokenCount: tokens, totalTokenCount: 2 * tokens },
            },
          },
        ],
      };
    });
    const shared = model('gemini-3-pro-preview');
    const ask = (city: string): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: city }] }] });
    const [paris, tokyo] = await Promise.all([
      collect(shared.stream(ask('Paris'), new AbortController().signal)),
      collect(shared.stream(ask('Tokyo'), new AbortController().signal)),
    ]);
    assert.equal(deltas(paris, 'text-delta'), 'Paris1 Paris2 Paris3 ');
    assert.equal(deltas(tokyo, 'text-delta'), 'Tokyo1 Tokyo2 Tokyo3 ');
    assert.equal(finishOf(paris)?.usage.inputTokens.total, 11);
    assert.equal(finishOf(tokyo)?.usage.inputTokens.total, 22);
    const callId = (parts: ChatStreamPart[]) => parts.find((p): p is Extract<ChatStreamPart, { type: 'tool-call' }> => p.type === 'tool-call')?.toolCallId;
    assert.notEqual(callId(paris), callId(tokyo));
    assert.deepEqual(finishOf(paris)?.finishReason.unified, 'tool-calls');
  });

  it('never lets the planted key out: not in a URL, an error message, a stack or a part', async () => {
    // An upstream (or proxy) that echoes the key back in its error body.
    t.upstream.on(ROUTE, {
      status: 400,
      json: { error: { code: 400, message: `API key not valid: ${PLANTED_KEY}. Please pass a valid API key.`, status: 'INVALID_ARGUMENT' } },
    });
    const failed = await run();
    t.upstream.on('POST /v1beta/models/gemini-2.5-pro:streamGenerateContent', {
      sse: [{ data: { error: { code: 500, message: `internal error for key=${PLANTED_KEY}`, status: 'INTERNAL' } } }],
    });
    const inStream = await run(hello, 'gemini-2.5-pro');
    t.upstream.on('POST /v1beta/models/gemini-3-pro-preview:streamGenerateContent', { sse: readSseFixture(fixture('function-call.jsonl')) });
    const ok = await run(hello, 'gemini-3-pro-preview');
    const unreachable = await collect(
      createGeminiChatModel({ ...t.config, baseUrl: 'http://127.0.0.1:9/v1beta' }, MODEL, { dispatcher: t.recorder.agent }).stream(hello, new AbortController().signal),
    );
    assert.equal(errorOf(failed[0])?.kind, 'auth');
    assert.equal(errorOf(inStream[0])?.kind, 'server');
    assert.equal(errorOf(unreachable[0])?.kind, 'network');
    const surface = leakSurface([...failed, ...inStream, ...ok, ...unreachable]) + t.recorder.urls.join('\n');
    assert.equal(surface.includes(PLANTED_KEY), false);
    assert.equal(surface.includes(PLANTED_KEY.slice(4)), false);
    assert.equal(t.recorder.urls.length, 4);
  });

  it('refuses a base URL that carries a query instead of sending the key along with it', async () => {
    const parts = await collect(
      createGeminiChatModel({ ...t.config, baseUrl: `${t.upstream.url}/v1beta?key=${PLANTED_KEY}` }, MODEL, { dispatcher: t.recorder.agent }).stream(
        hello,
        new AbortController().signal,
      ),
    );
    assert.equal(errorOf(parts[0])?.kind, 'config');
    assert.equal(t.upstream.requests.length, 0);
    assert.equal(leakSurface(parts).includes(PLANTED_KEY), false);
  });

  it('accepts the models/ resource name as the model id', async () => {
    t.upstream.on(ROUTE, { sse: readSseFixture(fixture('text.jsonl')) });
    const chat = createGeminiChatModel(t.config, `models/${MODEL}`, { dispatcher: t.recorder.agent });
    assert.equal(chat.modelId, MODEL);
    assert.equal(finishOf(await collect(chat.stream(hello, new AbortController().signal)))?.finishReason.unified, 'stop');
  });
  it('generates an image: asks for TEXT and IMAGE with the aspect ratio, streams the inlineData as a file part, bills the image tokens as output', async () => {
    t.upstream.on('POST /v1beta/models/gemini-2.5-flash-image:streamGenerateContent', { sse: readSseFixture(fixture('image.jsonl')) });
    const request: ChatRequest = { ...hello, outputModalities: ['image', 'text'], imageOptions: { aspectRatio: '16:9' } };
    const parts = await run(request, 'gemini-2.5-flash-image');
    const png = readFileSync(join(__dirname, '../../../fixtures/media/gradient.png')).toString('base64');
    assert.deepEqual(
      parts.filter((p) => p.type === 'file'),
      [{ type: 'file', mediaType: 'image/png', data: png }],
    );
    assert.equal(deltas(parts, 'text-delta'), 'Here is a nano banana dish in a fancy restaurant.');
    assert.deepEqual(finishOf(parts)?.usage.outputTokens, { total: 1302, text: 1302, reasoning: 0 });
    const body = t.upstream.requests[0]?.body as { generationConfig?: unknown };
    assert.deepEqual(body.generationConfig, { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } });
  });

  it('asks for IMAGE alone for an image-only request, and leaves out draft images marked as thoughts', async () => {
    const draft = { inlineData: { mimeType: 'image/png', data: 'ZHJhZnQ=' }, thought: true };
    const final = { inlineData: { mimeType: 'image/jpeg', data: 'ZmluYWw=' } };
    t.upstream.on('POST /v1beta/models/gemini-3-pro-image-preview:streamGenerateContent', {
      sse: [{ data: { candidates: [{ content: { role: 'model', parts: [draft, final] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1120 } } }],
    });
    const parts = await run({ ...hello, outputModalities: ['image'] }, 'gemini-3-pro-image-preview');
    assert.deepEqual(
      parts.filter((p) => p.type === 'file'),
      [{ type: 'file', mediaType: 'image/jpeg', data: 'ZmluYWw=' }],
    );
    assert.deepEqual((t.upstream.requests[0]?.body as { generationConfig?: unknown }).generationConfig, { responseModalities: ['IMAGE'] });
  });
});
