import assert from 'node:assert/strict';
import { convertToOpenAIChatBody } from '../../../../src/core/providers/openai-compatible/convert-to-openai-chat-body';
import { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset } from '../../../../src/core/providers/openai-compatible/openai-compatible-presets';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';

function preset(id: string): OpenAICompatiblePreset {
  const found = OPENAI_COMPATIBLE_PRESETS[id];
  assert.ok(found, `no preset ${id}`);
  return found;
}

const context = { provider: 'test' };
const hello: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('convertToOpenAIChatBody', () => {
  it('converts system, user, assistant tool calls and tool results in order', () => {
    const body = convertToOpenAIChatBody(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in ' }, { type: 'text', text: 'Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'need the tool' },
              { type: 'tool-call', toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', toolCallId: 'call_2', toolName: 'get_time', input: {} },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', output: '{"c":21}' },
              { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_time', output: '12:00', isError: false },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'Sunny, 21 °C.' }] },
        ],
      },
      'gpt-4o',
      preset('openai'),
      context,
    );
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"c":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
      { role: 'assistant', content: 'Sunny, 21 °C.' },
    ]);
    assert.equal(body.model, 'gpt-4o');
    assert.equal(body.stream, true);
  });

  it('sends images, audio, video and PDFs as the documented content parts', () => {
    const body = convertToOpenAIChatBody(
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe all of these.' },
              { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgo=' }, mediaType: 'image/png' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, mediaType: 'image/jpeg' },
              { type: 'audio', source: { kind: 'base64', data: 'SUQzBAA=' }, mediaType: 'audio/mpeg' },
              { type: 'video', source: { kind: 'url', url: 'https://example.com/clip.mp4' }, mediaType: 'video/mp4' },
              { type: 'file', source: { kind: 'base64', data: 'JVBERi0x' }, mediaType: 'application/pdf', filename: 'spec.pdf' },
            ],
          },
        ],
      },
      'openai/gpt-4o',
      preset('openrouter'),
      context,
    );
    assert.deepEqual(body.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe all of these.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'input_audio', input_audio: { data: 'SUQzBAA=', format: 'mp3' } },
          { type: 'video_url', video_url: { url: 'https://example.com/clip.mp4' } },
          { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
        ],
      },
    ]);
  });

  it('refuses audio by URL, which input_audio cannot take', () => {
    assert.throws(
      () =>
        convertToOpenAIChatBody(
          { messages: [{ role: 'user', content: [{ type: 'audio', source: { kind: 'url', url: 'https://example.com/a.wav' }, mediaType: 'audio/wav' }] }] },
          'm',
          preset('openai'),
          context,
        ),
      (error: { kind?: string }) => error.kind === 'invalid-request',
    );
  });

  it('sends tools, a named tool choice and a strict JSON schema', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    const body = convertToOpenAIChatBody(
      {
        ...hello,
        tools: [{ name: 'get_weather', description: 'Weather by city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'tool', toolName: 'get_weather' },
        responseFormat: { type: 'json', schema, name: 'reply' },
      },
      'gpt-4o',
      preset('openai'),
      context,
    );
    assert.deepEqual(body.tools, [
      { type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } });
  });

  it('sends json_object for JSON without a schema, and no tool_choice without tools', () => {
    const body = convertToOpenAIChatBody({ ...hello, toolChoice: 'required', responseFormat: { type: 'json' } }, 'm', preset('openai'), context);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal('tool_choice' in body, false);
    assert.equal('tools' in body, false);
  });

  it('applies each preset quirk: max tokens field, seed field, reasoning, stream_options', () => {
    const request: ChatRequest = { ...hello, temperature: 0.2, topP: 0.9, maxOutputTokens: 512, stop: ['END'], seed: 7, reasoningEffort: 'high' };
    const openai = convertToOpenAIChatBody(request, 'o4-mini', preset('openai'), context);
    assert.deepEqual(
      { ...openai, messages: undefined },
      {
        model: 'o4-mini',
        messages: undefined,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 512,
        stop: ['END'],
        seed: 7,
        reasoning_effort: 'high',
      },
    );
    const openrouter = convertToOpenAIChatBody(request, 'x/y', preset('openrouter'), context);
    assert.equal(openrouter.max_tokens, 512);
    assert.equal('max_completion_tokens' in openrouter, false);
    assert.deepEqual(openrouter.reasoning, { effort: 'high' });
    assert.equal('reasoning_effort' in openrouter, false);

    const mistral = convertToOpenAIChatBody(request, 'mistral-large-latest', preset('mistral'), context);
    assert.equal(mistral.random_seed, 7);
    assert.equal('seed' in mistral, false);
    assert.equal('stream_options' in mistral, false);
    assert.equal('reasoning_effort' in mistral, false);
    assert.equal(mistral.max_tokens, 512);

    const azure = convertToOpenAIChatBody(request, 'my-deployment', preset('azure'), context);
    assert.equal(azure.max_completion_tokens, 512);
    assert.equal(convertToOpenAIChatBody(request, 'deepseek-reasoner', preset('deepseek'), context).reasoning_effort, undefined);
  });

  it('leaves unset sampling fields out so each server applies its own defaults', () => {
    const body = convertToOpenAIChatBody(hello, 'm', preset('ollama'), context);
    assert.deepEqual(Object.keys(body).sort(), ['messages', 'model', 'stream', 'stream_options']);
  });

  it("merges the preset's provider options as they are, but never over stream or messages", () => {
    const body = convertToOpenAIChatBody(
      {
        ...hello,
        providerOptions: {
          openrouter: {
            models: ['anthropic/claude-sonnet-4', 'openai/gpt-4o'],
            provider: { order: ['anthropic', 'google-vertex'], allow_fallbacks: false, max_price: { prompt: 1, completion: 2 } },
            route: 'fallback',
            transforms: ['middle-out'],
            plugins: [{ id: 'file-parser', pdf: { engine: 'cloudflare-ai' } }],
            stream: false,
            messages: [],
          },
          anthropic: { thinking: { type: 'enabled' } },
        },
      },
      'anthropic/claude-sonnet-4',
      preset('openrouter'),
      context,
    );
    assert.deepEqual(body.models, ['anthropic/claude-sonnet-4', 'openai/gpt-4o']);
    assert.deepEqual(body.provider, { order: ['anthropic', 'google-vertex'], allow_fallbacks: false, max_price: { prompt: 1, completion: 2 } });
    assert.equal(body.route, 'fallback');
    assert.deepEqual(body.transforms, ['middle-out']);
    assert.deepEqual(body.plugins, [{ id: 'file-parser', pdf: { engine: 'cloudflare-ai' } }]);
    assert.equal(body.stream, true);
    assert.equal((body.messages as unknown[]).length, 1);
    assert.equal('thinking' in body, false);
  });

  it('sends prompt-cache breakpoints as cache_control on content parts to OpenRouter only, and to no other server', () => {
    const ephemeral = { type: 'ephemeral' } as const;
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: 'You are Claude Code.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
        { role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'read', input: {}, cacheControl: ephemeral }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'read', output: 'export {}', cacheControl: ephemeral }] },
        { role: 'user', content: [{ type: 'text', text: 'Explain it.', cacheControl: ephemeral }] },
      ],
    };
    const openrouter = convertToOpenAIChatBody(request, 'anthropic/claude-sonnet-4.5', preset('openrouter'), context);
    assert.deepEqual(openrouter.messages, [
      { role: 'system', content: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      { role: 'user', content: 'Read a.ts' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'export {}', cache_control: ephemeral }] },
      { role: 'user', content: [{ type: 'text', text: 'Explain it.', cache_control: ephemeral }] },
    ]);
    for (const id of ['openai', 'groq', 'mistral', 'deepseek', 'ollama', 'custom']) {
      const body = convertToOpenAIChatBody(request, 'm', preset(id), context);
      assert.ok(!JSON.stringify(body).includes('cache_control'), id);
      assert.deepEqual((body.messages as Array<{ content: unknown }>).map((message) => typeof message.content), ['string', 'string', 'object', 'string', 'string'], id);
    }
  });
});
