import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import { createEndpointTestEngine, errorPart, finishPart, TEST_SERVED, testUsage, textScript, type EndpointTestEngine } from '../../support/endpoint-test-engine';

describe('endpoint: /v1/messages through the official @anthropic-ai/sdk client', () => {
  let engine: EndpointTestEngine;
  let endpoint: RunningEndpoint;
  let client: Anthropic;

  beforeEach(async () => {
    engine = createEndpointTestEngine();
    endpoint = await startTestEndpoint(engine, { app: 'claude-code' });
    client = new Anthropic({ baseURL: endpoint.url, apiKey: endpoint.token, maxRetries: 0 });
  });
  afterEach(() => endpoint.close());

  it('answers a non-streaming request with content blocks, stop reason and cache usage', async () => {
    engine.script = () => [
      { type: 'reasoning-delta', delta: 'Let me think.', signature: 'sig-1' },
      { type: 'text-delta', delta: 'Bonjour' },
      finishPart('stop', testUsage(1000, 20, 800)),
    ];
    const message = await client.messages.create({ model: 'perpetuo/auto', max_tokens: 100, messages: [{ role: 'user', content: 'Hello in French' }] });
    assert.equal(message.model, TEST_SERVED.modelId);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'text', text: 'Bonjour' },
    ]);
    assert.deepEqual(message.usage, { input_tokens: 200, cache_creation_input_tokens: 0, cache_read_input_tokens: 800, output_tokens: 20 });
    assert.deepEqual(engine.routes[0]?.options.source, { kind: 'endpoint', detail: 'claude-code' });
  });

  it('accepts the fields real clients send: anthropic-beta, metadata, thinking, cache_control, documents, images', async () => {
    const pdf = 'JVBERi0xLjQK';
    await client.messages.create(
      {
        model: 'perpetuo/auto',
        max_tokens: 2048,
        metadata: { user_id: 'user-1' },
        thinking: { type: 'enabled', budget_tokens: 1024 },
        system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Read these', cache_control: { type: 'ephemeral' } },
              { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGRg==' } },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'spec.pdf', cache_control: { type: 'ephemeral', ttl: '1h' } },
            ],
          },
        ],
      },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14' } },
    );
    assert.deepEqual(engine.routes[0]?.request, {
      messages: [
        { role: 'system', content: 'You are terse.', cacheControl: { type: 'ephemeral' } },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read these', cacheControl: { type: 'ephemeral' } },
            { type: 'image', source: { kind: 'base64', data: 'UklGRg==' }, mediaType: 'image/webp' },
            { type: 'file', source: { kind: 'base64', data: pdf }, mediaType: 'application/pdf', filename: 'spec.pdf', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
      maxOutputTokens: 2048,
      reasoningEffort: 'low',
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 }, betas: ['prompt-caching-2024-07-31', 'interleaved-thinking-2025-05-14'] } },
    });
    assert.ok(!endpoint.logs.some((line) => line.startsWith('warn')), `no warnings expected: ${endpoint.logs.join('\n')}`);
  });

  it('keeps prompt-cache breakpoints on the system blocks, tools, tool calls and tool results that carry them; a lifetime Anthropic refuses is a 400 naming it', async () => {
    const tool = { name: 'read_file', input_schema: { type: 'object' as const }, cache_control: { type: 'ephemeral' as const } };
    await client.messages.create({
      model: 'perpetuo/auto',
      max_tokens: 100,
      system: [
        { type: 'text', text: 'You are Claude Code.' },
        { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral' } },
      ],
      tools: [{ name: 'list_files', input_schema: { type: 'object' } }, tool],
      messages: [
        { role: 'user', content: 'Read a.ts' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' }, cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}', cache_control: { type: 'ephemeral', ttl: '5m' } }] },
      ],
    });
    const request = engine.routes[0]?.request;
    assert.deepEqual(request?.messages.slice(0, 2), [
      { role: 'system', content: 'You are Claude Code.' },
      { role: 'system', content: 'Project rules.', cacheControl: { type: 'ephemeral' } },
    ]);
    assert.deepEqual(request?.messages.slice(3), [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'read_file', input: { path: 'a.ts' }, cacheControl: { type: 'ephemeral' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'read_file', output: 'export {}', cacheControl: { type: 'ephemeral', ttl: '5m' } }] },
    ]);
    assert.deepEqual(request?.tools?.map((entry) => entry.cacheControl), [undefined, { type: 'ephemeral' }]);

    await assert.rejects(
      client.messages.create({ model: 'perpetuo/auto', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '10m' as '1h' } }] }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /Invalid field 'messages\[0\]\.content\[0\]\.cache_control\.ttl'/.test(error.message),
    );
    assert.equal(engine.routes.length, 1);
  });

  it('streams text with the documented event sequence', async () => {
    engine.script = () => textScript('Hel', 'lo');
    const stream = await client.messages.create({ model: 'perpetuo/auto', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') assert.equal(event.usage.output_tokens, 5);
    }
    assert.equal(text, 'Hello');
    assert.deepEqual(types, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('streams tool use that the SDK assembles, and takes tool results (with images) back', async () => {
    engine.script = () => [
      { type: 'text-delta', delta: 'Let me look.' },
      { type: 'tool-call-start', toolCallId: 'toolu_1', toolName: 'read_file' },
      { type: 'tool-call-delta', toolCallId: 'toolu_1', argumentsDelta: '{"path":' },
      { type: 'tool-call-delta', toolCallId: 'toolu_1', argumentsDelta: '"a.ts"}' },
      { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'read_file', input: '{"path":"a.ts"}' },
      finishPart('tool-calls'),
    ];
    const final = await client.messages
      .stream({
        model: 'perpetuo/auto',
        max_tokens: 100,
        tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Open a.ts' }],
      })
      .finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    assert.deepEqual(final.content.at(-1), { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } });
    assert.equal(engine.routes[0]?.request.toolChoice, 'required');

    engine.script = () => textScript('Done');
    await client.messages.create({
      model: 'perpetuo/auto',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Open a.ts' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'export {}' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              ],
            },
          ],
        },
      ],
    });
    assert.deepEqual(engine.routes[1]?.request.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'read_file', input: { path: 'a.ts' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'read_file', output: 'export {}' }] },
      { role: 'user', content: [{ type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgo=' }, mediaType: 'image/png' }] },
    ]);
  });

  it('streams parallel tool calls once each, though they complete together after both streamed', async () => {
    // How the OpenAI-compatible adapter reports parallel calls: each streams in turn, all complete at the end.
    engine.script = () => [
      { type: 'tool-call-start', toolCallId: 'call_a', toolName: 'weather' },
      { type: 'tool-call-delta', toolCallId: 'call_a', argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-start', toolCallId: 'call_b', toolName: 'weather' },
      { type: 'tool-call-delta', toolCallId: 'call_b', argumentsDelta: '{"city":"Lima"}' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'weather', input: '{"city":"Lima"}' },
      finishPart('tool-calls'),
    ];
    const final = await client.messages.stream({ model: 'perpetuo/auto', max_tokens: 100, messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    assert.deepEqual(final.content, [
      { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'weather', input: { city: 'Lima' } },
    ]);
  });

  it('answers an error before content with a real status and an Anthropic error body', async () => {
    engine.script = () => [errorPart('overloaded', 'Every provider is overloaded.')];
    await assert.rejects(
      client.messages.create({ model: 'perpetuo/auto', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], stream: true }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, 503);
        assert.deepEqual((error.error as { type: string; error: { type: string } }).error.type, 'overloaded_error');
        return true;
      },
    );
  });

  it('ends a stream that breaks after content with event: error and no message_stop', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'Part' }, errorPart('malformed-response', 'A chunk failed its schema.')];
    const stream = await client.messages.create({ model: 'perpetuo/auto', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const types: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of stream) types.push(event.type);
      })(),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.match(error.message, /schema/);
        return true;
      },
    );
    assert.ok(types.includes('content_block_delta'));
    assert.ok(!types.includes('message_stop'));
  });

  it('aborts the engine call when the client aborts the stream', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'first' }, { type: 'hang' }];
    const stream = client.messages.stream({ model: 'perpetuo/auto', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.abort();
    const signal = engine.routes[0]?.signal;
    assert.ok(signal);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  });

  it('counts tokens without routing', async () => {
    const counted = await client.messages.countTokens({ model: 'perpetuo/auto', messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] });
    assert.ok(counted.input_tokens > 5 && counted.input_tokens < 40, `got ${counted.input_tokens}`);
    assert.equal(engine.routes.length, 0);
  });

  it("counts Anthropic's own tools in the prompt, and takes Claude Code's web search declaration", async () => {
    const messages = [{ role: 'user' as const, content: 'How many tokens is this sentence?' }];
    const bare = await client.messages.countTokens({ model: 'perpetuo/auto', messages });
    const tools = [{ type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 8, allowed_domains: ['docs.anthropic.com', 'platform.claude.com'] }];
    const withSearch = await client.messages.countTokens({ model: 'perpetuo/auto', messages, tools });
    assert.ok(withSearch.input_tokens > bare.input_tokens + 10, `${withSearch.input_tokens} against ${bare.input_tokens}`);
    assert.equal(engine.routes.length, 0);
  });

  it('lists models in Anthropic shape for Anthropic clients', async () => {
    const page = await client.models.list();
    assert.deepEqual(
      page.data.map((model) => model.id),
      ['perpetuo/auto', 'openai/gpt-4o'],
    );
  });
});
