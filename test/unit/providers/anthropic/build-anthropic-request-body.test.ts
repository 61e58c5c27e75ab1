import assert from 'node:assert/strict';
import { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { createAnthropicChatModel } from '../../../../src/core/providers/anthropic';
import { buildAnthropicRequestBody, JSON_INSTRUCTION } from '../../../../src/core/providers/anthropic/build-anthropic-request-body';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';
import { anthropicConfig, anthropicFixture, collectStreamParts } from './collect-stream-parts';

const user = (text: string): ChatRequest['messages'][number] => ({ role: 'user', content: [{ type: 'text', text }] });
const build = (request: Partial<ChatRequest>, modelId = 'claude-sonnet-4-5-20250929') =>
  buildAnthropicRequestBody({ messages: [user('hi')], ...request }, modelId, 'anthropic');

function refusal(fn: () => unknown): PerpetuoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PerpetuoError);
    return error;
  }
  assert.fail('expected a PerpetuoError');
}

describe('buildAnthropicRequestBody', () => {
  describe('on the wire', () => {
    let upstream: FakeUpstream;
    beforeEach(async () => {
      upstream = await startFakeUpstream();
    });
    afterEach(() => upstream.close());

    it('sends an image and a PDF, inline and by URL, exactly as the Messages API wants them', async () => {
      upstream.on('POST /v1/messages', { sse: anthropicFixture('text') });
      const request: ChatRequest = {
        messages: [
          { role: 'system', content: 'You review documents.' },
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgo=' }, mediaType: 'image/png', filename: 'chart.png' },
              { type: 'image', source: { kind: 'url', url: 'https://upload.wikimedia.org/ant.jpg' }, mediaType: 'image/jpeg' },
              { type: 'file', source: { kind: 'base64', data: 'JVBERi0xLjQK' }, mediaType: 'application/pdf', filename: 'spec.pdf' },
              { type: 'file', source: { kind: 'url', url: 'https://assets.anthropic.com/m/1cd9d098ac3e6467/original/Claude-3-Model-Card-October-Addendum.pdf' }, mediaType: 'application/pdf' },
              { type: 'text', text: 'Summarise both.' },
            ],
          },
        ],
        maxOutputTokens: 1024,
      };
      const parts = await collectStreamParts(createAnthropicChatModel(anthropicConfig(upstream.url), 'claude-sonnet-4-5').stream(request, new AbortController().signal));
      assert.equal(parts.at(-1)?.type, 'finish');
      assert.equal(
        upstream.requests[0]?.rawBody,
        JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 1024,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
                { type: 'image', source: { type: 'url', url: 'https://upload.wikimedia.org/ant.jpg' } },
                { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } },
                { type: 'document', source: { type: 'url', url: 'https://assets.anthropic.com/m/1cd9d098ac3e6467/original/Claude-3-Model-Card-October-Addendum.pdf' } },
                { type: 'text', text: 'Summarise both.' },
              ],
            },
          ],
          system: 'You review documents.',
          stream: true,
        }),
      );
    });
  });

  describe('data: URLs', () => {
    let upstream: FakeUpstream;
    beforeEach(async () => {
      upstream = await startFakeUpstream();
    });
    afterEach(() => upstream.close());

    it('decodes an image and a PDF given as data: URLs into base64 sources (the url source takes links only)', async () => {
      upstream.on('POST /v1/messages', { sse: anthropicFixture('text') });
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
      const percent = [...png].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
      const request: ChatRequest = {
        messages: [
          {
            role: 'user',
            content: [
              // Declared as JPEG, but the bytes are a PNG: the API checks, so the bytes win.
              { type: 'image', source: { kind: 'url', url: `data:image/jpeg,${percent}` }, mediaType: 'image/jpeg', filename: 'shot.png' },
              { type: 'file', source: { kind: 'url', url: 'data:application/pdf;base64,JVBERi0x\nLjQK' }, mediaType: 'application/pdf', filename: 'spec.pdf' },
              { type: 'text', text: 'Compare.' },
            ],
          },
        ],
        maxOutputTokens: 64,
      };
      const parts = await collectStreamParts(createAnthropicChatModel(anthropicConfig(upstream.url), 'claude-sonnet-4-5').stream(request, new AbortController().signal));
      assert.equal(parts.at(-1)?.type, 'finish');
      const body = upstream.requests[0]?.body as { messages: Array<{ content: unknown[] }> };
      assert.deepEqual(body.messages[0]?.content, [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' } },
        { type: 'text', text: 'Compare.' },
      ]);
    });

    it('refuses a data: URL image of a type Claude cannot read, and a malformed one, naming the file', () => {
      const bmp = Buffer.from('BM6\0\0\0').toString('base64');
      const one = (url: string, filename: string) => build({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url }, mediaType: 'image/png', filename }] }] });
      assert.match(refusal(() => one(`data:image/bmp;base64,${bmp}`, 'old.bmp')).message, /"old\.bmp".*not image\/bmp/);
      assert.match(refusal(() => one('data:image/png;base64,@@@', 'broken.png')).message, /"broken\.png".*data: URL/);
    });
  });

  it('merges consecutive roles and sends tool results as a user turn, thinking signature kept', () => {
    const { body } = build({
      messages: [
        user('What is the weather in Paris and Rome?'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Two cities: two calls.', signature: 'sig-1' },
            { type: 'reasoning', text: 'from another provider, unsigned' },
            { type: 'text', text: '' },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'get_weather', input: '{"city":"Rome"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: '18°C' },
            { type: 'tool-result', toolCallId: 'toolu_2', toolName: 'get_weather', output: 'timeout', isError: true },
          ],
        },
        user('And tomorrow?'),
        { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }] },
      ],
    });
    assert.deepEqual(body.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Two cities: two calls.', signature: 'sig-1' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'timeout', is_error: true },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'text', text: 'Sunny.' }] },
    ]);
  });

  it("sends redacted thinking back as it came, and never another provider's reasoning (Gemini's thought signature, unsigned text)", () => {
    const { body } = build({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Gemini thought.', signature: 'gemini-thought-signature:CiQB' },
            { type: 'reasoning', text: 'Unsigned reasoning from an OpenAI-compatible model.' },
            { type: 'reasoning', text: '', redacted: 'EmwKAhgB' },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'read_file', input: { path: 'a.ts' } },
          ],
        },
      ],
    });
    assert.deepEqual(body.messages[1]?.content, [
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
    ]);
  });

  it('puts tool results ahead of user text that came before them in the same turn', () => {
    const { body } = build({
      messages: [
        user('Weather?'),
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'toolu_1', toolName: 'w', input: {} }] },
        user('(also, be brief)'),
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', toolName: 'w', output: 'sunny' }] },
      ],
    });
    assert.deepEqual(body.messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
        { type: 'text', text: '(also, be brief)' },
      ],
    });
  });

  it('gathers several system messages into top-level system blocks', () => {
    const { body } = build({ messages: [{ role: 'system', content: 'A' }, user('hi'), { role: 'system', content: 'B' }] });
    assert.deepEqual(body.system, [
      { type: 'text', text: 'A' },
      { type: 'text', text: 'B' },
    ]);
    assert.equal(body.messages.length, 1);
  });

  it('sends prompt-cache breakpoints as cache_control where they stand: system blocks, tools, text, images, documents, tool calls and results', () => {
    const ephemeral = { type: 'ephemeral' } as const;
    const { body } = build({
      messages: [
        { role: 'system', content: 'You are Claude Code.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Read this', cacheControl: ephemeral },
            { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgo=' }, mediaType: 'image/png', cacheControl: ephemeral },
            { type: 'file', source: { kind: 'base64', data: 'JVBERi0=' }, mediaType: 'application/pdf', cacheControl: ephemeral },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'read', input: {}, cacheControl: ephemeral }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'read', output: 'done', cacheControl: ephemeral }] },
      ],
      tools: [
        { name: 'list', inputSchema: { type: 'object' } },
        { name: 'read', inputSchema: { type: 'object' }, cacheControl: ephemeral },
      ],
    });
    assert.deepEqual(body.system, [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
    assert.deepEqual(
      body.tools?.map((tool) => tool.cache_control),
      [undefined, ephemeral],
    );
    assert.deepEqual(
      body.messages.map((message) => message.content.map((block) => ('cache_control' in block ? block.cache_control : undefined))),
      [[ephemeral, ephemeral, ephemeral], [ephemeral], [ephemeral]],
    );
    // Without breakpoints, one system message stays a plain string and no block carries the field.
    const plain = build({ messages: [{ role: 'system', content: 'A' }, user('hi')] }).body;
    assert.equal(plain.system, 'A');
    assert.ok(!JSON.stringify(plain).includes('cache_control'));
  });

  for (const [type, mediaType] of [
    ['audio', 'audio/mpeg'],
    ['video', 'video/mp4'],
  ] as const) {
    it(`refuses ${type} input, naming the file`, () => {
      const error = refusal(() => build({ messages: [{ role: 'user', content: [{ type, source: { kind: 'url', url: 'https://x.test/a' }, mediaType, filename: `clip.${type}` }] }] }));
      assert.equal(error.kind, 'invalid-request');
      assert.equal(error.isRetryable, false);
      assert.match(error.message, new RegExp(`"clip\\.${type}".*Anthropic does not accept ${type} input`));
    });
  }

  it('refuses an image type Claude cannot read and a non-PDF document', () => {
    assert.match(refusal(() => build({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', data: 'AA' }, mediaType: 'image/bmp', filename: 'a.bmp' }] }] })).message, /"a\.bmp".*JPEG, PNG, GIF and WebP/);
    assert.match(refusal(() => build({ messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'base64', data: 'AA' }, mediaType: 'application/zip', filename: 'src.zip' }] }] })).message, /"src\.zip"/);
  });

  it('sends a plain-text file as a text document', () => {
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'base64', data: Buffer.from('héllo').toString('base64') }, mediaType: 'text/plain' }] }] });
    assert.deepEqual(body.messages[0]?.content, [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } }]);
  });

  it('defaults max_tokens per model: 16384 within the ceiling, the ceiling below it', () => {
    assert.equal(build({}).body.max_tokens, 16_384);
    assert.equal(build({}, 'claude-3-5-haiku-20241022').body.max_tokens, 8_192);
    assert.equal(build({}, 'claude-3-haiku-20240307').body.max_tokens, 4_096);
    assert.equal(build({ maxOutputTokens: 300 }).body.max_tokens, 300);
  });

  it('maps sampling, stop sequences and tools; never sends seed', () => {
    const { body } = build({
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      tools: [{ name: 'get_weather', description: 'Weather now', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: 'required',
    });
    assert.equal(body.temperature, 0.2);
    assert.equal(body.top_p, 0.9);
    assert.deepEqual(body.stop_sequences, ['END']);
    assert.equal('seed' in body, false);
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }]);
    assert.deepEqual(body.tool_choice, { type: 'any' });
  });

  it("sends Anthropic's own tools after ours as declared, and a turn's search blocks and citations back unchanged", () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3, user_location: { type: 'approximate', city: 'Tokyo' } };
    const search = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'tech news' } };
    const results = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://a.example', title: 'A', encrypted_content: 'Eq0=', page_age: null }] };
    const citation = { type: 'web_search_result_location', url: 'https://a.example', title: 'A', cited_text: 'A says so.', encrypted_index: 'Eo8=' };
    const { body } = build({
      tools: [{ name: 'read_file', inputSchema: { type: 'object' } }],
      providerTools: [{ api: 'anthropic', definition: webSearch }],
      toolChoice: { type: 'tool', toolName: 'web_search' },
      messages: [
        user('What happened today?'),
        {
          role: 'assistant',
          content: [
            { type: 'provider-block', api: 'anthropic', block: search },
            { type: 'provider-block', api: 'anthropic', block: results },
            { type: 'text', text: 'A says so.', citations: [citation] },
          ],
        },
        user('More?'),
      ],
    });
    assert.deepEqual(body.tools, [{ name: 'read_file', input_schema: { type: 'object' } }, webSearch]);
    assert.deepEqual(body.tool_choice, { type: 'tool', name: 'web_search' });
    assert.deepEqual(body.messages[1], { role: 'assistant', content: [search, results, { type: 'text', text: 'A says so.', citations: [citation] }] });
  });

  it('maps every tool choice, and sends none without tools', () => {
    const tools = [{ name: 'a', inputSchema: { type: 'object' } }];
    assert.deepEqual(build({ tools, toolChoice: 'auto' }).body.tool_choice, { type: 'auto' });
    assert.deepEqual(build({ tools, toolChoice: 'none' }).body.tool_choice, { type: 'none' });
    assert.deepEqual(build({ tools, toolChoice: { type: 'tool', toolName: 'a' } }).body.tool_choice, { type: 'tool', name: 'a' });
    assert.equal('tool_choice' in build({ toolChoice: 'required' }).body, false);
    assert.equal(refusal(() => build({ tools, toolChoice: { type: 'tool', toolName: 'b' } })).kind, 'invalid-request');
  });

  it('maps reasoning effort to a thinking budget on manual-thinking models, dropping temperature', () => {
    const { body } = build({ reasoningEffort: 'medium', temperature: 0.3, topP: 0.5 });
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 12_288 });
    assert.equal(body.max_tokens, 12_288 + 16_384);
    assert.equal('temperature' in body, false);
    assert.equal('top_p' in body, false);
    assert.equal(build({ reasoningEffort: 'low', topP: 0.97 }).body.top_p, 0.97);
  });

  it('keeps a requested maxOutputTokens as the hard cap, shrinking the budget but not below 1024', () => {
    assert.deepEqual([build({ reasoningEffort: 'high', maxOutputTokens: 8_000 }).body.thinking, build({ reasoningEffort: 'high', maxOutputTokens: 8_000 }).body.max_tokens], [
      { type: 'enabled', budget_tokens: 6_976 },
      8_000,
    ]);
    assert.deepEqual(build({ reasoningEffort: 'low', maxOutputTokens: 2_000 }).body.thinking, { type: 'enabled', budget_tokens: 1_024 });
    assert.equal(refusal(() => build({ reasoningEffort: 'low', maxOutputTokens: 1_024 })).kind, 'invalid-request');
  });

  it('caps the thinking request to the model ceiling (Opus 4.1: 32000)', () => {
    const { body } = build({ reasoningEffort: 'high' }, 'claude-opus-4-1-20250805');
    assert.equal(body.max_tokens, 32_000);
    assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 24_576 });
  });

  it('uses adaptive thinking and output_config.effort on 4.6 and later models', () => {
    const { body } = build({ reasoningEffort: 'minimal' }, 'claude-opus-4-6');
    assert.deepEqual(body.thinking, { type: 'adaptive' });
    assert.deepEqual(body.output_config, { effort: 'low' });
    assert.deepEqual(build({ reasoningEffort: 'high' }, 'claude-opus-4-7').body.output_config, { effort: 'high' });
  });

  it('refuses reasoning on a model without thinking, and forced tool use together with thinking', () => {
    assert.match(refusal(() => build({ reasoningEffort: 'low' }, 'claude-3-5-haiku-latest')).message, /no extended thinking/);
    const tools = [{ name: 'a', inputSchema: { type: 'object' } }];
    assert.match(refusal(() => build({ reasoningEffort: 'low', tools, toolChoice: 'required' })).message, /forced tool use/);
  });

  it('asks for JSON through output_config.format with a schema, through the system prompt without', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };
    const withSchema = build({ responseFormat: { type: 'json', schema }, reasoningEffort: 'high' }, 'claude-sonnet-4-6').body;
    assert.deepEqual(withSchema.output_config, { effort: 'high', format: { type: 'json_schema', schema } });
    const bare = build({ messages: [{ role: 'system', content: 'Be brief.' }, user('hi')], responseFormat: { type: 'json' } }).body;
    assert.equal(bare.system, `Be brief.\n\n${JSON_INSTRUCTION}`);
    assert.equal('output_config' in bare, false);
  });

  it('merges providerOptions.anthropic into the body, betas aside, never over model, messages or stream', () => {
    const plan = build({
      providerOptions: {
        anthropic: { top_k: 5, metadata: { user_id: 'u-1' }, betas: ['context-1m-2025-08-07'], stream: false, model: 'other' },
        openai: { store: true },
      },
    });
    assert.equal(plan.body['top_k'], 5);
    assert.deepEqual(plan.body['metadata'], { user_id: 'u-1' });
    assert.deepEqual(plan.betas, ['context-1m-2025-08-07']);
    assert.equal('betas' in plan.body, false);
    assert.equal('store' in plan.body, false);
    assert.equal(plan.body.stream, true);
    assert.equal(plan.body.model, 'claude-sonnet-4-5-20250929');
  });
});
