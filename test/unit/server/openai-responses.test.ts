import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import { createEndpointTestEngine, errorPart, finishPart, TEST_SERVED, testUsage, textScript, type EndpointTestEngine, type ScriptStep } from '../../support/endpoint-test-engine';

describe('endpoint: /v1/responses through the official openai client', () => {
  let engine: EndpointTestEngine;
  let endpoint: RunningEndpoint;
  let client: OpenAI;

  beforeEach(async () => {
    engine = createEndpointTestEngine();
    endpoint = await startTestEndpoint(engine);
    client = new OpenAI({ baseURL: `${endpoint.url}/v1`, apiKey: endpoint.token, maxRetries: 0 });
  });
  afterEach(() => endpoint.close());

  it('answers a non-streaming request with output items, usage and the served model', async () => {
    engine.script = () => [{ type: 'reasoning-delta', delta: 'thinking' }, { type: 'text-delta', delta: 'Hello!' }, finishPart('stop', testUsage(40, 9, 32))];
    const response = await client.responses.create({ model: 'perpetuo/auto', input: 'Say hello', instructions: 'Be kind.' });
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, 'Hello!');
    assert.equal(response.model, TEST_SERVED.modelId);
    assert.deepEqual(
      response.output.map((item) => item.type),
      ['reasoning', 'message'],
    );
    assert.deepEqual(response.usage, { input_tokens: 40, input_tokens_details: { cached_tokens: 32 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 49 });
    assert.deepEqual(engine.routes[0]?.request.messages, [
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
    ]);
  });

  it('streams the documented event sequence with increasing sequence numbers', async () => {
    engine.script = () => textScript('Hel', 'lo');
    const stream = await client.responses.create({ model: 'perpetuo/auto', input: 'Hi', stream: true });
    const types: string[] = [];
    let text = '';
    let sequence = -1;
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      assert.equal(event.sequence_number, sequence + 1);
      sequence = event.sequence_number;
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(text, 'Hello');
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    assert.equal(completed?.output.length, 1);
    assert.equal(completed?.usage?.total_tokens, 17);
  });

  it('streams function calls and takes function outputs back', async () => {
    engine.script = () => [
      { type: 'text-delta', delta: 'Checking.' },
      { type: 'tool-call-start', toolCallId: 'call_9', toolName: 'lookup' },
      { type: 'tool-call-delta', toolCallId: 'call_9', argumentsDelta: '{"q":' },
      { type: 'tool-call-delta', toolCallId: 'call_9', argumentsDelta: '"x"}' },
      { type: 'tool-call', toolCallId: 'call_9', toolName: 'lookup', input: '{"q":"x"}' },
      finishPart('tool-calls'),
    ];
    const stream = client.responses.stream({
      model: 'perpetuo/auto',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Find x' }, { type: 'input_image', image_url: 'https://example.test/cat.png', detail: 'auto' }] }],
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }],
    });
    let args = '';
    stream.on('response.function_call_arguments.delta', (event) => (args += event.delta));
    const final = await stream.finalResponse();
    assert.equal(args, '{"q":"x"}');
    const call = final.output.find((item) => item.type === 'function_call');
    assert.ok(call && call.type === 'function_call');
    assert.equal(call.call_id, 'call_9');
    assert.equal(call.arguments, '{"q":"x"}');
    assert.deepEqual(engine.routes[0]?.request.messages[0], {
      role: 'user',
      content: [
        { type: 'text', text: 'Find x' },
        { type: 'image', source: { kind: 'url', url: 'https://example.test/cat.png' }, mediaType: 'image/png' },
      ],
    });

    engine.script = () => textScript('x is 42');
    await client.responses.create({
      model: 'perpetuo/auto',
      input: [
        { role: 'user', content: 'Find x' },
        { type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{"q":"x"}' },
        { type: 'function_call_output', call_id: 'call_9', output: '42' },
      ],
    });
    assert.deepEqual(engine.routes[1]?.request.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_9', toolName: 'lookup', input: { q: 'x' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_9', toolName: 'lookup', output: '42' }] },
    ]);
  });

  it("takes Codex's custom tools (apply_patch with a Lark grammar) as functions taking `input`, and answers their calls as custom_tool_call items", async () => {
    const grammar = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF';
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hello\n*** End Patch';
    const tools: OpenAI.Responses.Tool[] = [
      { type: 'function', name: 'shell', parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } }, strict: false },
      { type: 'custom', name: 'apply_patch', description: 'Use the apply_patch tool to edit files.', format: { type: 'grammar', syntax: 'lark', definition: grammar } },
    ];
    const script = (): ScriptStep[] => [
      { type: 'tool-call-start', toolCallId: 'call_p', toolName: 'apply_patch' },
      { type: 'tool-call-delta', toolCallId: 'call_p', argumentsDelta: JSON.stringify({ input: patch }).slice(0, 12) },
      { type: 'tool-call-delta', toolCallId: 'call_p', argumentsDelta: JSON.stringify({ input: patch }).slice(12) },
      { type: 'tool-call', toolCallId: 'call_p', toolName: 'apply_patch', input: JSON.stringify({ input: patch }) },
      finishPart('tool-calls'),
    ];
    engine.script = script;
    // As Codex sends it: stateless, with the earlier call, its output and encrypted reasoning replayed.
    const request = {
      model: 'perpetuo/auto',
      instructions: 'You are Codex.',
      input: [
        { type: 'message' as const, role: 'user' as const, content: [{ type: 'input_text' as const, text: 'Create a.txt' }] },
        { type: 'reasoning' as const, id: 'rs_1', summary: [], encrypted_content: 'gAAAA…' },
        { type: 'custom_tool_call' as const, call_id: 'call_0', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
        { type: 'custom_tool_call_output' as const, call_id: 'call_0', output: 'Done!' },
      ],
      tools,
      tool_choice: 'auto' as const,
      parallel_tool_calls: false,
      store: false,
      include: ['reasoning.encrypted_content' as const],
      prompt_cache_key: 'session-1',
      text: { verbosity: 'low' as const },
    };
    const calls = (output: OpenAI.Responses.ResponseOutputItem[] | undefined) =>
      output?.map((item) => (item.type === 'custom_tool_call' ? [item.type, item.call_id, item.name, item.input] : item.type));
    const answer = await client.responses.create(request);
    assert.deepEqual(calls(answer.output), [['custom_tool_call', 'call_p', 'apply_patch', patch]]);
    const routed = engine.routes[0]?.request;
    const applyPatch = routed?.tools?.find((tool) => tool.name === 'apply_patch');
    assert.deepEqual(applyPatch?.inputSchema.required, ['input']);
    assert.match(applyPatch?.description ?? '', /Use the apply_patch tool[\s\S]*lark grammar:\nstart: begin_patch/);
    assert.deepEqual(routed?.messages.slice(2), [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_0', toolName: 'apply_patch', input: { input: '*** Begin Patch\n*** End Patch' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_0', toolName: 'apply_patch', output: 'Done!' }] },
    ]);
    assert.ok(!endpoint.logs.some((line) => line.startsWith('warn')), `no warnings expected: ${endpoint.logs.join('\n')}`);

    const stream = await client.responses.create({ ...request, stream: true });
    const events: string[] = [];
    let input = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      events.push(event.type);
      if (event.type === 'response.custom_tool_call_input.delta') input += event.delta;
      if (event.type === 'response.output_item.added') assert.equal(event.item.type, 'custom_tool_call');
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.equal(input, patch);
    assert.ok(!events.some((type) => type.startsWith('response.function_call_arguments')), events.join(' '));
    assert.deepEqual(events.slice(2, -1), ['response.output_item.added', 'response.custom_tool_call_input.delta', 'response.custom_tool_call_input.done', 'response.output_item.done']);
    assert.deepEqual(calls(completed?.output), calls(answer.output));
  });

  it('takes images a tool returned: the results stay together, the images follow them as a user message', async () => {
    engine.script = () => textScript('A red dot.');
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    const answer = await client.responses.create({
      model: 'perpetuo/auto',
      input: [
        { type: 'message', role: 'user', content: 'What do these show?' },
        { type: 'function_call', call_id: 'call_a', name: 'view_image', arguments: '{"path":"a.png"}' },
        { type: 'function_call', call_id: 'call_b', name: 'view_image', arguments: '{"path":"b.png"}' },
        { type: 'function_call_output', call_id: 'call_a', output: [{ type: 'input_text', text: 'a.png:' }, { type: 'input_image', image_url: pixel, detail: 'auto' }] },
        { type: 'function_call_output', call_id: 'call_b', output: 'b.png is missing' },
      ],
    });
    assert.equal(answer.output_text, 'A red dot.');
    const messages = engine.routes[0]?.request.messages ?? [];
    assert.deepEqual(
      messages.map((message) => [message.role, Array.isArray(message.content) ? message.content.map((part) => part.type) : 'text']),
      [
        ['user', ['text']],
        ['assistant', ['tool-call', 'tool-call']],
        ['tool', ['tool-result', 'tool-result']],
        ['user', ['image']],
      ],
    );
    const results = messages[2]?.role === 'tool' ? messages[2].content.map((part) => [part.toolName, part.output]) : [];
    assert.deepEqual(results, [
      ['view_image', 'a.png:'],
      ['view_image', 'b.png is missing'],
    ]);
    const image = messages[3]?.role === 'user' ? messages[3].content[0] : undefined;
    assert.equal(image?.type === 'image' ? image.mediaType : undefined, 'image/png');
  });

  it("leaves out OpenAI's hosted web search, which Codex declares by default, with one warning in the log; refuses a request that requires it", async () => {
    engine.script = () => textScript('No search needed.');
    // As Codex sends it with `web_search = "cached"` (its default), after a turn OpenAI served with a search.
    const request = {
      model: 'perpetuo/auto',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is new in Node 24?' }] },
        { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'Node 24 release notes' } },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Node 24 ships V8 13.6.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      ],
      tools: [
        { type: 'function', name: 'shell', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'web_search', external_web_access: false },
      ],
      include: ['web_search_call.action.sources'],
    } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
    for (let i = 0; i < 2; i++) assert.equal((await client.responses.create(request)).output_text, 'No search needed.');
    const routed = engine.routes[0]?.request;
    assert.deepEqual(
      routed?.tools?.map((tool) => tool.name),
      ['shell'],
    );
    assert.deepEqual(
      routed?.messages.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    const warnings = endpoint.logs.filter((line) => line.includes('not forwarding tool web_search'));
    assert.equal(warnings.length, 1, endpoint.logs.join('\n'));
    assert.match(warnings[0] ?? '', /on POST \/v1\/responses .*OpenAI runs web search on its own servers/);

    for (const [toolChoice, pattern] of [
      [{ type: 'web_search_preview' }, /web_search_preview cannot be required/],
      ['required', /'required' leaves the model only web_search_preview/],
    ] as const) {
      const forced = { model: 'perpetuo/auto', input: 'Search the web', tools: [{ type: 'web_search_preview' }], tool_choice: toolChoice } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
      await assert.rejects(client.responses.create(forced), (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal((error.error as { param?: string } | undefined)?.param, 'tool_choice');
        assert.match(error.message, pattern);
        return true;
      });
    }
    assert.equal(engine.routes.length, 2, 'a refused request reaches no model');
  });

  it('streams parallel function calls once each, though they complete together after both streamed', async () => {
    engine.script = () => [
      { type: 'tool-call-start', toolCallId: 'call_a', toolName: 'weather' },
      { type: 'tool-call-delta', toolCallId: 'call_a', argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-start', toolCallId: 'call_b', toolName: 'weather' },
      { type: 'tool-call-delta', toolCallId: 'call_b', argumentsDelta: '{"city":"Lima"}' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', input: '{"city":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'weather', input: '{"city":"Lima"}' },
      finishPart('tool-calls'),
    ];
    const stream = await client.responses.create({ model: 'perpetuo/auto', input: 'Weather?', stream: true });
    const added: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.output_item.added' && event.item.type === 'function_call') added.push(event.item.call_id);
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.deepEqual(added, ['call_a', 'call_b']);
    assert.deepEqual(
      completed?.output.map((item) => (item.type === 'function_call' ? [item.call_id, item.arguments] : item.type)),
      [
        ['call_a', '{"city":"Paris"}'],
        ['call_b', '{"city":"Lima"}'],
      ],
    );
  });

  it('answers an error before content with a real status, and refuses state it does not keep', async () => {
    engine.script = () => [errorPart('rate-limit', 'Slow down.', { retryAfterSeconds: 2 })];
    await assert.rejects(client.responses.create({ model: 'perpetuo/auto', input: 'Hi', stream: true }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 429);
      assert.equal(error.headers?.get('retry-after'), '2');
      return true;
    });
    await assert.rejects(client.responses.create({ model: 'perpetuo/auto', input: 'Hi', previous_response_id: 'resp_1' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /previous_response_id/);
      return true;
    });
  });

  it('ends a stream that breaks after content with error and response.failed, never response.completed', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'Part' }, errorPart('server', 'Upstream 500.')];
    const stream = await client.responses.create({ model: 'perpetuo/auto', input: 'Hi', stream: true });
    const types: string[] = [];
    let failed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.failed') failed = event.response;
    }
    assert.deepEqual(types.slice(-2), ['error', 'response.failed']);
    assert.ok(!types.includes('response.completed'));
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.error?.code, 'provider_unavailable');
  });

  it('aborts the engine call when the client aborts the stream', async () => {
    engine.script = () => [{ type: 'text-delta', delta: 'first' }, { type: 'hang' }];
    const controller = new AbortController();
    const stream = await client.responses.create({ model: 'perpetuo/auto', input: 'Hi', stream: true }, { signal: controller.signal });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') controller.abort();
    }
    const signal = engine.routes[0]?.signal;
    assert.ok(signal);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  });
});
