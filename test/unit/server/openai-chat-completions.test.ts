import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { emptyUsage, type ChatStreamPart } from '../../../src/core/spec';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import {
  createEndpointTestEngine,
  errorPart,
  finishPart,
  TEST_SERVED,
  testUsage,
  textScript,
  type EndpointTestEngine,
} from '../../support/endpoint-test-engine';

describe('endpoint: /v1/chat/completions through the official openai client', () => {
  let engine: EndpointTestEngine;
  let endpoint: RunningEndpoint;
  let client: OpenAI;

  beforeEach(async () => {
    engine = createEndpointTestEngine();
    endpoint = await startTestEndpoint(engine, { app: 'aider' });
    client = new OpenAI({ baseURL: `${endpoint.url}/v1`, apiKey: endpoint.token, maxRetries: 0 });
  });
  afterEach(() => endpoint.close());

  it('answers a non-streaming request with the served model, usage with cached tokens, and honest headers', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'Hi there' }, finishPart('stop', testUsage(100, 7, 60))];
    const { data, response } = await client.chat.completions
      .create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hello' }] })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'Hi there');
    assert.equal(data.choices[0]?.finish_reason, 'stop');
    assert.equal(data.model, TEST_SERVED.modelId);
    assert.deepEqual(data.usage, { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 60 } });
    assert.equal(response.headers.get('x-perpetuo-model'), TEST_SERVED.modelId);
    assert.equal(response.headers.get('x-perpetuo-provider'), TEST_SERVED.provider);
    assert.equal(response.headers.get('x-perpetuo-decision-id'), data.id);
    assert.match(response.headers.get('x-perpetuo-overhead-ms') ?? '', /^\d+\.\d{3}$/);
  });

  it('passes the request, the token name, attribution and OpenRouter extensions to engine.route()', async () => {
    await client.chat.completions.create(
      {
        model: 'openai/gpt-4o',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
        ],
        temperature: 0.2,
        max_tokens: 50,
        stop: 'END',
        // OpenRouter's extensions, as OpenRouter clients send them.
        ...({ models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4.5'], provider: { sort: 'price', allow_fallbacks: false }, route: 'fallback', transforms: ['middle-out'] } as object),
      },
      { headers: { 'X-Title': 'My Tool', 'HTTP-Referer': 'https://example.test', 'X-Client-Name': 'cli' } },
    );
    const routed = engine.routes[0];
    assert.ok(routed);
    assert.deepEqual(routed.options, {
      model: 'openai/gpt-4o',
      source: { kind: 'endpoint', detail: 'aider' },
      app: 'aider',
      models: ['openai/gpt-4o', 'anthropic/claude-sonnet-4.5'],
      provider: { sort: 'price', allow_fallbacks: false },
      route: 'fallback',
      attribution: { title: 'My Tool', referer: 'https://example.test', clientName: 'cli' },
    });
    assert.deepEqual(routed.request, {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      ],
      temperature: 0.2,
      maxOutputTokens: 50,
      stop: ['END'],
      providerOptions: { openrouter: { transforms: ['middle-out'] } },
    });
  });

  it("takes OpenRouter's cache_control on system, user and tool content parts as prompt-cache breakpoints", async () => {
    const ephemeral = { type: 'ephemeral' } as const;
    // The openai client's types have no cache_control; OpenRouter-style clients (Cline, Roo Code) send it anyway.
    const messages = [
      { role: 'system', content: [{ type: 'text', text: 'You are a coder.' }, { type: 'text', text: 'Repository map.', cache_control: ephemeral }] },
      { role: 'user', content: [{ type: 'text', text: 'Read a.ts', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'export {}', cache_control: ephemeral }] },
    ] as unknown as OpenAI.ChatCompletionMessageParam[];
    await client.chat.completions.create({ model: 'perpetuo/auto', messages });
    assert.deepEqual(engine.routes[0]?.request.messages, [
      { role: 'system', content: 'You are a coder.' },
      { role: 'system', content: 'Repository map.', cacheControl: ephemeral },
      { role: 'user', content: [{ type: 'text', text: 'Read a.ts', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'read', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'read', output: 'export {}', cacheControl: ephemeral }] },
    ]);
  });

  it('streams text deltas, the finish reason and usage, then [DONE]', async () => {
    engine.script = () => textScript('Hel', 'lo');
    const stream = await client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const finishes: Array<string | null> = [];
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finishes.push(chunk.choices[0]?.finish_reason ?? null);
      usage = chunk.usage ?? usage;
      assert.equal(chunk.model, TEST_SERVED.modelId);
    }
    assert.equal(text, 'Hello');
    assert.equal(finishes.at(-1), 'stop');
    assert.deepEqual(usage, { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
  });

  it('streams tool calls and accepts tool results and images back', async () => {
    engine.script = () => [
      { type: 'tool-call-start', toolCallId: 'call_1', toolName: 'get_weather' },
      { type: 'tool-call-delta', toolCallId: 'call_1', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', toolCallId: 'call_1', argumentsDelta: '"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_time', input: '{}' },
      finishPart('tool-calls'),
    ];
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ];
    const stream = await client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Weather?' }], tools, stream: true });
    const calls = new Map<number, { id?: string; name?: string; args: string }>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { args: '' };
        if (call.id) entry.id = call.id;
        if (call.function?.name) entry.name = call.function.name;
        entry.args += call.function?.arguments ?? '';
        calls.set(call.index, entry);
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.deepEqual([...calls.values()], [
      { id: 'call_1', name: 'get_weather', args: '{"city":"Paris"}' },
      { id: 'call_2', name: 'get_time', args: '{}' },
    ]);
    assert.equal(finish, 'tool_calls');
    assert.deepEqual(engine.routes[0]?.request.tools, [
      { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
    ]);

    engine.script = () => textScript('It is sunny.');
    const png = 'iVBORw0KGgo=';
    await client.chat.completions.create({
      model: 'perpetuo/auto',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    assert.deepEqual(engine.routes[1]?.request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image', source: { kind: 'base64', data: png }, mediaType: 'image/png' }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: 'sunny' }] },
    ]);
  });

  it('answers an error before any content with a real status and an OpenAI error body', async () => {
    engine.script = () => [errorPart('budget', 'The daily budget of $5.00 is spent.', { retryAfterSeconds: 3600 })];
    for (const stream of [false, true]) {
      await assert.rejects(
        client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.APIError);
          assert.equal(error.status, 402);
          assert.equal(error.code, 'budget_exceeded');
          assert.equal(error.type, 'insufficient_quota');
          assert.match(error.message, /daily budget/);
          assert.equal(error.headers?.get('retry-after'), '3600');
          assert.match(error.headers?.get('x-perpetuo-decision-id') ?? '', /^gen-test-/);
          assert.equal(error.headers?.get('x-perpetuo-model'), null, 'nothing served, so no served model is named');
          return true;
        },
      );
    }
  });

  it('maps no-eligible-model to 404, or 503 when it is temporary', async () => {
    engine.script = () => [errorPart('no-eligible-model', 'No model satisfies provider.only.')];
    await assert.rejects(client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'Hi' }] }), { status: 404 });
    engine.script = () => [errorPart('no-eligible-model', 'Every candidate is cooling down.', { isRetryable: true })];
    await assert.rejects(client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'Hi' }] }), { status: 503 });
  });

  it('ends a stream that breaks after content with an in-band error chunk, finish_reason "error" and no [DONE]', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'Partial' }, errorPart('network', 'The upstream connection was reset.')];
    const stream = await client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    await assert.rejects(
      (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })(),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.equal(error.code, 'provider_unavailable');
        assert.match(error.message, /reset/);
        return true;
      },
    );
    assert.equal(text, 'Partial');

    // The raw bytes, as a client without the SDK sees them.
    const raw = await fetch(`${endpoint.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    assert.equal(raw.status, 200);
    const body = await raw.text();
    assert.doesNotMatch(body, /\[DONE\]/);
    const last = JSON.parse(body.trim().split('\n\n').at(-1)?.replace(/^data: /, '') ?? '{}') as {
      error?: { code: string; metadata: { error_type: string } };
      choices: Array<{ finish_reason: string }>;
    };
    assert.equal(last.error?.metadata.error_type, 'provider_unavailable');
    assert.equal(last.choices[0]?.finish_reason, 'error');
  });

  it('treats a stream that ends without a finish as an error, never a clean end', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'cut' }];
    const raw = await fetch(`${endpoint.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const body = await raw.text();
    assert.doesNotMatch(body, /\[DONE\]/);
    assert.match(body, /"finish_reason":"error"/);
  });

  it('answers a non-streaming call that breaks after content with a real error status, not a partial 200', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'Partial' }, errorPart('timeout', 'The upstream went quiet.')];
    await assert.rejects(client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }] }), { status: 504 });
  });

  it('aborts the engine call when the client disconnects mid-stream', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'first' }, { type: 'hang' }];
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content === 'first') break; // break closes the response like an abort
    }
    const signal = engine.routes[0]?.signal;
    assert.ok(signal);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
    const summary = await engine.routes[0]?.call.settled;
    assert.equal(summary?.outcome, 'cancelled');
  });

  it('aborts the engine call when the client gives up before any content', async () => {
    engine.script = () => [{ type: 'hang' }];
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal });
    while (engine.routes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    const signal = engine.routes[0]?.signal;
    assert.ok(signal);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  });

  it('sends keep-alive comments during a silence after the first content part', async () => {
    let resume: () => void = () => undefined;
    const gap = new Promise<void>((resolve) => (resume = resolve));
    engine.script = () => [{ type: 'text-delta', delta: 'a' }, { type: 'wait', until: gap }, { type: 'text-delta', delta: 'b' }, finishPart()];
    await endpoint.close();
    endpoint = await startTestEndpoint(engine, { limits: { keepAliveMs: 5 } });
    const response = await fetch(`${endpoint.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const reader = response.body?.getReader();
    assert.ok(reader);
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': keep-alive')) {
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the stream ended before any keep-alive');
      text += decoder.decode(value, { stream: true });
    }
    resume();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    assert.match(text, /"content":"b"/);
    assert.match(text, /data: \[DONE\]\n\n$/);
  });

  it('lists the engine models', async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['perpetuo/auto', 'openai/gpt-4o'],
    );
  });

  it('keeps unknown counts out of usage details instead of inventing zeros', async () => {
    const parts: ChatStreamPart[] = [{ type: 'text-delta', delta: 'x' }, { type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage: emptyUsage() }];
    engine.script = () => parts;
    const completion = await client.chat.completions.create({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(completion.choices[0]?.finish_reason, 'length');
    assert.equal(completion.usage?.prompt_tokens_details, undefined);
    assert.equal(completion.usage?.completion_tokens_details, undefined);
  });
});
