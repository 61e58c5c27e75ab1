import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOpenAICompatibleChatModel } from '../../../../src/core/providers/openai-compatible/openai-compatible-chat-model';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';
import type { ChatStreamPart, FinishPart } from '../../../../src/core/spec/chat-stream-part';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';
import { collectStreamParts, lastError, openAIFixture, textOf } from './collect-stream-parts';

const hello: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] };
const OPENAI_KEY = 'sk-proj-Pl4nt3dOpenAIKey0123456789abcdef';
const OPENROUTER_KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function finishOf(parts: ChatStreamPart[]): FinishPart {
  const finish = parts.find((p): p is FinishPart => p.type === 'finish');
  assert.ok(finish, `no finish part in ${JSON.stringify(parts.map((p) => p.type))}`);
  assert.equal(parts.at(-1), finish, 'finish must be the last part');
  return finish;
}

describe('createOpenAICompatibleChatModel', () => {
  let upstream: FakeUpstream;
  const signal = () => new AbortController().signal;
  const openai = (): ProviderConfig => ({ id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: OPENAI_KEY });
  const openrouter = (): ProviderConfig => ({ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/api/v1`, apiKey: OPENROUTER_KEY });

  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('streams text, then one finish carrying the usage that came after the finish reason', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage') });
    const model = createOpenAICompatibleChatModel(openai(), 'gpt-4o-mini');
    assert.equal(model.provider, 'openai');
    assert.equal(model.modelId, 'gpt-4o-mini');
    const parts = await collectStreamParts(model.stream(hello, signal()));
    assert.deepEqual(parts[0], { type: 'response-metadata', id: 'chatcmpl-9mQx7dSbWvY3jH2kL1', modelId: 'gpt-4o-mini-2024-07-18' });
    assert.equal(textOf(parts), 'Hello there, héllo wörld! 👋');
    const finish = finishOf(parts);
    assert.deepEqual(finish.finishReason, { unified: 'stop', raw: 'stop' });
    assert.deepEqual(finish.usage.inputTokens, { total: 2006, noCache: 86, cacheRead: 1920, cacheWrite: undefined });
    assert.deepEqual(finish.usage.outputTokens, { total: 300, text: 300, reasoning: 0 });
    assert.equal(finish.reportedCostUsd, undefined);
    const sent = upstream.requests[0];
    assert.equal(sent?.headers.authorization, `Bearer ${OPENAI_KEY}`);
    assert.deepEqual((sent?.body as { stream_options?: unknown }).stream_options, { include_usage: true });
  });

  it('assembles two parallel tool calls whose arguments arrive in many pieces', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-parallel-tool-calls') });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'gpt-4o-mini').stream(hello, signal()));
    const calls = parts.filter((p) => p.type === 'tool-call');
    assert.deepEqual(calls, [
      { type: 'tool-call', toolCallId: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', toolName: 'get_weather', input: '{"location":"Paris, France","unit":"celsius"}' },
      { type: 'tool-call', toolCallId: 'call_tL3sk0WQ8aBfo2qAxZb1Ynae', toolName: 'get_weather', input: '{"location":"Bogotá, Colombia"}' },
    ]);
    assert.deepEqual(
      parts.filter((p) => p.type === 'tool-call-start'),
      [
        { type: 'tool-call-start', toolCallId: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', toolName: 'get_weather' },
        { type: 'tool-call-start', toolCallId: 'call_tL3sk0WQ8aBfo2qAxZb1Ynae', toolName: 'get_weather' },
      ],
    );
    // The deltas of each call, concatenated, are exactly its final arguments.
    for (const call of calls) {
      const streamed = parts.map((p) => (p.type === 'tool-call-delta' && p.toolCallId === call.toolCallId ? p.argumentsDelta : '')).join('');
      assert.equal(streamed, call.input);
    }
    const finish = finishOf(parts);
    assert.equal(finish.finishReason.unified, 'tool-calls');
    assert.equal(finish.usage.outputTokens.total, 51);
  });

  it('sends an image as image_url with a data URL', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage') });
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgoAAAANSUhEUg==' }, mediaType: 'image/png' }] }],
    };
    await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'gpt-4o').stream(request, signal()));
    assert.deepEqual((upstream.requests[0]?.body as { messages: unknown }).messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
        ],
      },
    ]);
  });

  it("reads OpenRouter's cost to the cent, its cache writes, and the served model and provider", async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-text-cost') });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'openrouter/auto').stream(hello, signal()));
    assert.deepEqual(parts[0], { type: 'response-metadata', id: 'gen-1752841234-xQp8r2LmN4vT6yZa', modelId: 'anthropic/claude-sonnet-4', upstreamProvider: 'Anthropic' });
    assert.equal(textOf(parts), 'The tallest building needs a deep foundation.');
    const finish = finishOf(parts);
    assert.equal(finish.reportedCostUsd, 0.0123456);
    assert.equal(Math.round((finish.reportedCostUsd ?? 0) * 100), 1);
    assert.deepEqual(finish.usage.inputTokens, { total: 194, noCache: 94, cacheRead: 0, cacheWrite: 100 });
    assert.equal((finish.usage.raw as { cost?: number }).cost, 0.0123456);
  });

  it("adds the provider's bill to OpenRouter's fee when the call used the user's own key (BYOK)", async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-byok-cost') });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'openrouter/auto').stream(hello, signal()));
    const finish = finishOf(parts);
    assert.equal(finish.reportedCostUsd, 0.0006 + 0.012);
    assert.equal(Math.round((finish.reportedCostUsd ?? 0) * 10000), 126);
  });

  it('keeps usage sent on a chunk whose choices are not empty (LiteLLM #36168)', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('together-usage-in-finish-chunk') });
    const config: ProviderConfig = { id: 'together', kind: 'openai-compatible', preset: 'together', baseUrl: `${upstream.url}/v1`, apiKey: 'tgp_v1_plantedtogetherkey0123456789' };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'meta-llama/Llama-3.3-70B-Instruct-Turbo').stream(hello, signal()));
    assert.equal(textOf(parts), 'Rome was not built in a day.');
    assert.deepEqual(finishOf(parts).usage.inputTokens, { total: 48, noCache: 16, cacheRead: 32, cacheWrite: undefined });
  });

  it("streams DeepSeek's reasoning_content as reasoning and reads its cache hit/miss counters", async () => {
    upstream.on('POST /chat/completions', { sse: openAIFixture('deepseek-reasoner') });
    const config: ProviderConfig = { id: 'deepseek', kind: 'openai-compatible', preset: 'deepseek', baseUrl: upstream.url, apiKey: 'sk-0123456789abcdef0123456789abcdef' };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'deepseek-reasoner').stream(hello, signal()));
    assert.equal(parts.map((p) => (p.type === 'reasoning-delta' ? p.delta : '')).join(''), '9.11 vs 9.8: compare tenths, 1 < 8.');
    assert.equal(textOf(parts), '9.8 is greater.');
    const firstText = parts.findIndex((p) => p.type === 'text-delta');
    assert.ok(parts.slice(firstText).every((p) => p.type !== 'reasoning-delta'), 'reasoning comes before the answer');
    const usage = finishOf(parts).usage;
    assert.deepEqual(usage.inputTokens, { total: 1200, noCache: 176, cacheRead: 1024, cacheWrite: undefined });
    assert.deepEqual(usage.outputTokens, { total: 230, text: 30, reasoning: 200 });
  });

  it("reads Groq's x_groq.usage and xAI's additive reasoning tokens", async () => {
    upstream.on('POST /openai/v1/chat/completions', { sse: openAIFixture('groq-x-groq-usage') });
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('xai-reasoning') });
    const groq = await collectStreamParts(
      createOpenAICompatibleChatModel({ id: 'groq', kind: 'openai-compatible', preset: 'groq', baseUrl: `${upstream.url}/openai/v1`, apiKey: 'gsk_0123456789abcdefABCDEF0123456789' }, 'llama-3.3-70b-versatile').stream(hello, signal()),
    );
    assert.deepEqual(finishOf(groq).usage.inputTokens.total, 40);
    assert.deepEqual(finishOf(groq).usage.outputTokens.total, 3);
    const xai = await collectStreamParts(
      createOpenAICompatibleChatModel({ id: 'xai', kind: 'openai-compatible', preset: 'xai', baseUrl: `${upstream.url}/v1`, apiKey: 'xai-0123456789abcdefABCDEF0123456789' }, 'grok-3-mini').stream(hello, signal()),
    );
    assert.deepEqual(finishOf(xai).usage.outputTokens, { total: 387, text: 1, reasoning: 386 });
  });

  for (const [fixture, code] of [
    ['openrouter-midstream-error-string-code', 'string'],
    ['openrouter-midstream-error-number-code', 'number'],
  ] as const) {
    it(`turns an OpenRouter mid-stream error chunk (code as a ${code}) into an error part after the text`, async () => {
      upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture(fixture) });
      const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'anthropic/claude-sonnet-4').stream(hello, signal()));
      assert.equal(textOf(parts), 'Partial answer before the');
      assert.equal(parts.filter((p) => p.type === 'finish').length, 0);
      const error = lastError(parts);
      assert.equal(error.kind, 'server');
      assert.equal(error.isRetryable, true);
      assert.equal(error.providerCode, 'provider_unavailable');
      assert.equal(error.statusCode, code === 'number' ? 502 : undefined);
      assert.match(error.message, /Provider disconnected unexpectedly/);
    });
  }

  it('skips keep-alive comments and survives CR/LF split at every chunk size from 1 to 7 bytes', async () => {
    for (let chunkSize = 1; chunkSize <= 7; chunkSize++) {
      upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-text-cost'), chunkSize, crlf: chunkSize % 2 === 1 });
      const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'x/y').stream(hello, signal()));
      assert.equal(textOf(parts), 'The tallest building needs a deep foundation.', `chunkSize ${chunkSize}`);
      assert.equal(finishOf(parts).reportedCostUsd, 0.0123456, `chunkSize ${chunkSize}`);
    }
  });

  it('ends with a malformed-response error carrying the raw chunk', async () => {
    upstream.on('POST /v1/chat/completions', { sse: [...openAIFixture('openai-text-usage').slice(0, 2), { raw: 'data: {"choices":[{"delta":{"content":\n\n' }] });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'gpt-4o-mini').stream(hello, signal()));
    assert.equal(textOf(parts), 'Hello');
    const error = lastError(parts);
    assert.equal(error.kind, 'malformed-response');
    assert.match(error.responseBody ?? '', /"content":/);
  });

  it('reports a stream that ends after a finish reason but without [DONE]… as finished, and one without a finish reason as an error', async () => {
    const items = openAIFixture('openai-text-usage');
    upstream.on('POST /v1/chat/completions', { sse: items.slice(0, -1) });
    assert.equal(finishOf(await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'm').stream(hello, signal()))).usage.inputTokens.total, 2006);
    upstream.on('POST /v1/chat/completions', { sse: [...items.slice(0, 3), { raw: 'data: [DONE]\n\n' }] });
    const cut = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'm').stream(hello, signal()));
    assert.equal(lastError(cut).kind, 'malformed-response');
    assert.equal(cut.filter((p) => p.type === 'finish').length, 0);
  });

  it('ends a stalled stream with a timeout and closes the connection', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage'), stallAfter: 2 });
    const closed = upstream.nextClose();
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'm', { idleTimeoutMs: 100 }).stream(hello, signal()));
    assert.equal(textOf(parts), 'Hello');
    assert.equal(lastError(parts).kind, 'timeout');
    await closed;
  });

  it('turns a socket reset mid-stream into a retryable network error', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage'), resetAfter: 3 });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'm').stream(hello, signal()));
    const error = lastError(parts);
    assert.equal(error.kind, 'network');
    assert.equal(error.isRetryable, true);
  });

  it('maps 401, 402, 429 with retry-after and a context-length 400', async () => {
    const cases = [
      { status: 401, json: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } }, kind: 'auth' },
      { status: 402, json: { error: { code: 402, message: 'Insufficient credits' } }, kind: 'payment' },
      { status: 429, json: { error: { message: 'Rate limit reached for gpt-4o', type: 'requests', code: 'rate_limit_exceeded' } }, headers: { 'retry-after': '20' }, kind: 'rate-limit' },
      { status: 400, json: { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } }, kind: 'context-length' },
    ] as const;
    for (const c of cases) {
      upstream.on('POST /v1/chat/completions', { status: c.status, json: c.json, ...('headers' in c ? { headers: c.headers } : {}) });
      const parts = await collectStreamParts(createOpenAICompatibleChatModel(openai(), 'gpt-4o').stream(hello, signal()));
      assert.equal(parts.length, 1, `HTTP ${c.status} yields one error part`);
      const error = lastError(parts);
      assert.equal(error.kind, c.kind, `HTTP ${c.status}`);
      assert.equal(error.statusCode, c.status);
      assert.equal(error.provider, 'openai');
      assert.equal(error.retryAfterSeconds, c.status === 429 ? 20 : undefined);
    }
  });

  it('calls an Azure deployment URL with the api-key header and no bearer', async () => {
    upstream.on('POST /openai/deployments/gpt4o-prod/chat/completions', { sse: openAIFixture('openai-text-usage') });
    const azureKey = '8f3c2a1b9d7e4f6a0b5c3d2e1f0a9b8c';
    const config: ProviderConfig = { id: 'azure', kind: 'openai-compatible', preset: 'azure', baseUrl: upstream.url, apiKey: azureKey, azureApiVersion: '2024-10-21' };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'gpt4o-prod').stream({ ...hello, maxOutputTokens: 100 }, signal()));
    assert.equal(textOf(parts), 'Hello there, héllo wörld! 👋');
    const sent = upstream.requests[0];
    assert.equal(sent?.url, '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21');
    assert.equal(sent?.headers['api-key'], azureKey);
    assert.equal(sent?.headers.authorization, undefined);
    assert.equal((sent?.body as { max_completion_tokens?: number }).max_completion_tokens, 100);
  });

  it('calls Ollama with no authorization header at all', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage') });
    const config: ProviderConfig = { id: 'ollama', kind: 'openai-compatible', preset: 'ollama', baseUrl: `${upstream.url}/v1` };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'llama3.2').stream(hello, signal()));
    assert.equal(finishOf(parts).finishReason.unified, 'stop');
    assert.equal(upstream.requests[0]?.headers.authorization, undefined);
    assert.equal(upstream.requests[0]?.headers['api-key'], undefined);
  });

  it("passes OpenRouter's routing fields through in the body, with config headers", async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-text-cost') });
    const config = { ...openrouter(), headers: { 'HTTP-Referer': 'https://perpetuo.dev', 'X-Title': 'Perpetuo' } };
    const request: ChatRequest = {
      ...hello,
      reasoningEffort: 'low',
      providerOptions: {
        openrouter: { models: ['anthropic/claude-sonnet-4', 'openai/gpt-4o'], provider: { sort: 'price', data_collection: 'deny' }, route: 'fallback', transforms: ['middle-out'], plugins: [{ id: 'web' }] },
      },
    };
    await collectStreamParts(createOpenAICompatibleChatModel(config, 'anthropic/claude-sonnet-4').stream(request, signal()));
    const sent = upstream.requests[0];
    const body = sent?.body as Record<string, unknown>;
    assert.deepEqual(body.models, ['anthropic/claude-sonnet-4', 'openai/gpt-4o']);
    assert.deepEqual(body.provider, { sort: 'price', data_collection: 'deny' });
    assert.equal(body.route, 'fallback');
    assert.deepEqual(body.transforms, ['middle-out']);
    assert.deepEqual(body.plugins, [{ id: 'web' }]);
    assert.deepEqual(body.reasoning, { effort: 'low' });
    assert.equal(sent?.headers['http-referer'], 'https://perpetuo.dev');
    assert.equal(sent?.headers['x-title'], 'Perpetuo');
  });

  it('closes the upstream connection when the caller aborts mid-stream', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage'), stallAfter: 3 });
    const controller = new AbortController();
    const closed = upstream.nextClose();
    const parts: ChatStreamPart[] = [];
    for await (const part of createOpenAICompatibleChatModel(openai(), 'm').stream(hello, controller.signal)) {
      parts.push(part);
      if (part.type === 'text-delta') {
        controller.abort();
      }
    }
    await closed;
    // undici may open a fresh idle connection to the pool after the abort; it must not carry a request and must go away.
    for (let waited = 0; upstream.openSockets() > 0 && waited < 2000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(upstream.openSockets(), 0);
    assert.equal(upstream.requests.length, 1);
    assert.equal(lastError(parts).kind, 'cancelled');
  });

  it('serves two interleaved streams on one instance without mixing text, tool calls or usage', async () => {
    upstream.on('POST /v1/chat/completions', (req) => {
      const wantsTools = JSON.stringify(req.body).includes('weather');
      return { sse: openAIFixture(wantsTools ? 'openai-parallel-tool-calls' : 'openai-text-usage'), chunkSize: 16, delayMs: 1 };
    });
    const model = createOpenAICompatibleChatModel(openai(), 'gpt-4o-mini');
    const weather: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'weather?' }] }] };
    const [a, b] = await Promise.all([collectStreamParts(model.stream(hello, signal())), collectStreamParts(model.stream(weather, signal()))]);
    assert.equal(textOf(a), 'Hello there, héllo wörld! 👋');
    assert.equal(a.filter((p) => p.type.startsWith('tool-call')).length, 0);
    assert.equal(finishOf(a).usage.inputTokens.total, 2006);
    assert.equal(textOf(b), '');
    assert.equal(b.filter((p) => p.type === 'tool-call').length, 2);
    assert.equal(finishOf(b).usage.inputTokens.total, 82);
  });

  it('reports a missing key or base URL as a config error part, without calling anyone', async () => {
    const noKey = await collectStreamParts(createOpenAICompatibleChatModel({ id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: upstream.url }, 'm').stream(hello, signal()));
    assert.equal(lastError(noKey).kind, 'config');
    const noBase = await collectStreamParts(createOpenAICompatibleChatModel({ id: 'mine', kind: 'openai-compatible', preset: 'custom' }, 'm').stream(hello, signal()));
    assert.equal(lastError(noBase).kind, 'config');
    assert.equal(upstream.requests.length, 0);
  });
});

describe('createOpenAICompatibleChatModel: multimodal', () => {
  let upstream: FakeUpstream;
  const signal = () => new AbortController().signal;
  const openrouter = (): ProviderConfig => ({ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/api/v1`, apiKey: OPENROUTER_KEY });
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('sends audio given as a data: URL as bare base64 in input_audio, base64 or percent-encoded', async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-text-cost') });
    const wav = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \xff\x00', 'latin1');
    const percent = [...wav].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
    const request: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Transcribe both.' },
            { type: 'audio', source: { kind: 'url', url: `data:audio/wav;base64,${wav.toString('base64')}` }, mediaType: 'audio/wav', filename: 'a.wav' },
            { type: 'audio', source: { kind: 'url', url: `data:audio/mpeg,${percent}` }, mediaType: 'audio/mpeg', filename: 'b.mp3' },
          ],
        },
      ],
    };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'google/gemini-2.5-flash').stream(request, signal()));
    assert.equal(parts.at(-1)?.type, 'finish');
    const body = upstream.requests[0]?.body as { messages: Array<{ content: unknown }> };
    assert.deepEqual(body.messages[0]?.content, [
      { type: 'text', text: 'Transcribe both.' },
      { type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'wav' } },
      { type: 'input_audio', input_audio: { data: wav.toString('base64'), format: 'mp3' } },
    ]);
  });

  it('still refuses audio by https:// link, before sending anything', async () => {
    const parts = await collectStreamParts(
      createOpenAICompatibleChatModel(openrouter(), 'x').stream(
        { messages: [{ role: 'user', content: [{ type: 'audio', source: { kind: 'url', url: 'https://example.com/a.wav' }, mediaType: 'audio/wav', filename: 'a.wav' }] }] },
        signal(),
      ),
    );
    assert.match(lastError(parts).message, /inline base64 only.*a\.wav/);
    assert.equal(upstream.requests.length, 0);
  });

  it('asks for images with modalities and image_config, and turns delta.images into file parts', async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-image') });
    const request: ChatRequest = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'A lighthouse at dusk' }] }],
      outputModalities: ['image', 'text'],
      providerOptions: { openrouter: { image_config: { aspect_ratio: '16:9' } } },
    };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'google/gemini-2.5-flash-image').stream(request, signal()));
    const body = upstream.requests[0]?.body as Record<string, unknown>;
    assert.deepEqual(body.modalities, ['image', 'text']);
    assert.deepEqual(body.image_config, { aspect_ratio: '16:9' });
    const files = parts.filter((p) => p.type === 'file');
    assert.equal(files.length, 1);
    const png = readFileSync(join(__dirname, '../../../fixtures/media/gradient.png'));
    assert.deepEqual(files[0], { type: 'file', mediaType: 'image/png', data: png.toString('base64') });
    assert.equal(textOf(parts), 'Here is a lighthouse at dusk.');
    assert.equal(finishOf(parts).reportedCostUsd, 0.0387);
  });

  it('sends modalities ["image"] for an image-only request, and nothing for a text one', async () => {
    upstream.on('POST /api/v1/chat/completions', { sse: openAIFixture('openrouter-image') });
    await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'black-forest-labs/flux').stream({ ...hello, outputModalities: ['image'] }, signal()));
    await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'x').stream(hello, signal()));
    assert.deepEqual((upstream.requests[0]?.body as Record<string, unknown>).modalities, ['image']);
    assert.equal((upstream.requests[1]?.body as Record<string, unknown>).modalities, undefined);
  });

  it('reports an image that is not a data: URL as an error, never drops it', async () => {
    upstream.on('POST /api/v1/chat/completions', {
      sse: [
        { data: { id: 'g', model: 'm', choices: [{ index: 0, delta: { images: [{ type: 'image_url', image_url: { url: 'https://cdn.example.com/i.png' } }] } }] } },
        { raw: 'data: [DONE]\n\n' },
      ],
    });
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(openrouter(), 'm').stream({ ...hello, outputModalities: ['image'] }, signal()));
    assert.equal(lastError(parts).kind, 'malformed-response');
  });
});
