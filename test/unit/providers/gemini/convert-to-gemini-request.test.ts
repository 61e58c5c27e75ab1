import assert from 'node:assert/strict';
import { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { convertToGeminiRequest } from '../../../../src/core/providers/gemini/convert-to-gemini-request';
import {
  GEMINI_INLINE_PDF_LIMIT_BYTES,
  GEMINI_INLINE_REQUEST_LIMIT_BYTES,
} from '../../../../src/core/providers/gemini/convert-to-gemini-media-part';
import { tagGeminiThoughtSignature } from '../../../../src/core/providers/gemini/tag-gemini-thought-signature';
import type { ChatRequest } from '../../../../src/core/spec/chat-request';

const context = { provider: 'gemini', modelId: 'gemini-2.5-flash' };
const convert = (request: ChatRequest, modelId = context.modelId) => convertToGeminiRequest(request, { ...context, modelId });
const user = (text: string): ChatRequest['messages'][number] => ({ role: 'user', content: [{ type: 'text', text }] });

function invalidRequest(fn: () => unknown): PerpetuoError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof PerpetuoError);
    assert.equal(error.kind, 'invalid-request');
    assert.equal(error.isRetryable, false);
    return error;
  }
  assert.fail('expected an invalid-request error');
}

describe('convertToGeminiRequest', () => {
  describe('messages', () => {
    it('puts system messages in systemInstruction and maps roles to user/model', () => {
      const body = convert({
        messages: [
          { role: 'system', content: 'Be brief.' },
          user('Hi'),
          { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
          { role: 'system', content: 'Answer in French.' },
          user('How are you?'),
        ],
      });
      assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] });
      assert.deepEqual(body.contents, [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'How are you?' }] },
      ]);
      assert.equal(body.generationConfig, undefined);
    });

    it('merges consecutive messages of the same role, and tool results into the next user turn', () => {
      const body = convert({
        messages: [
          user('a'),
          user('b'),
          { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'read', input: { path: 'x' } }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'read', output: 'file body' }] },
          user('and now?'),
        ],
      });
      assert.deepEqual(
        body.contents.map((c) => c.role),
        ['user', 'model', 'user'],
      );
      assert.deepEqual(body.contents[0]?.parts, [{ text: 'a' }, { text: 'b' }]);
      assert.deepEqual(body.contents[2]?.parts, [{ functionResponse: { name: 'read', response: { output: 'file body' } } }, { text: 'and now?' }]);
    });

    it('sends tool calls as functionCall with object args and tool results as functionResponse {output|error}', () => {
      const body = convert({
        messages: [
          user('weather?'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', toolCallId: 'c1', toolName: 'get_current_temperature', input: { location: 'Paris' } },
              { type: 'tool-call', toolCallId: 'c2', toolName: 'get_current_temperature', input: '{"location":"London"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'c1', toolName: 'get_current_temperature', output: '{"temperature":21}' },
              { type: 'tool-result', toolCallId: 'c2', toolName: 'get_current_temperature', output: 'timeout', isError: true },
            ],
          },
        ],
      });
      const model = body.contents[1];
      assert.deepEqual(model?.parts.map((p) => ('functionCall' in p ? p.functionCall : p)), [
        { name: 'get_current_temperature', args: { location: 'Paris' } },
        { name: 'get_current_temperature', args: { location: 'London' } },
      ]);
      assert.deepEqual(body.contents[2]?.parts, [
        { functionResponse: { name: 'get_current_temperature', response: { output: '{"temperature":21}' } } },
        { functionResponse: { name: 'get_current_temperature', response: { error: 'timeout' } } },
      ]);
    });

    it("puts Gemini's thought signature back on the part it came with, and drops thought summaries", () => {
      const body = convert({
        messages: [
          user('Check AA100'),
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Checking the flight.', signature: tagGeminiThoughtSignature('SIG_A') },
              { type: 'tool-call', toolCallId: 'c1', toolName: 'check_flight', input: { flight: 'AA100' } },
              { type: 'tool-call', toolCallId: 'c2', toolName: 'book_taxi', input: {} },
            ],
          },
        ],
      });
      assert.deepEqual(body.contents[1]?.parts, [
        { functionCall: { name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'SIG_A' },
        { functionCall: { name: 'book_taxi', args: {} } },
      ]);
    });

    it("never sends another provider's signature, and gives foreign function calls Google's placeholder", () => {
      const body = convert({
        messages: [
          user('Check AA100'),
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'thinking…', signature: 'EqQBCkgIBhABGAIiQAnthropicSignature' },
              { type: 'text', text: 'Let me check.' },
              { type: 'tool-call', toolCallId: 'toolu_01', toolName: 'check_flight', input: { flight: 'AA100' } },
              { type: 'tool-call', toolCallId: 'toolu_02', toolName: 'check_flight', input: { flight: 'AA101' } },
            ],
          },
        ],
      });
      assert.deepEqual(body.contents[1]?.parts, [
        { text: 'Let me check.' },
        { functionCall: { name: 'check_flight', args: { flight: 'AA100' } }, thoughtSignature: 'skip_thought_signature_validator' },
        { functionCall: { name: 'check_flight', args: { flight: 'AA101' } } },
      ]);
      assert.doesNotMatch(JSON.stringify(body), /Anthropic/);
    });

    it('keeps a signature that came with text on that text part', () => {
      const body = convert({
        messages: [
          user('hi'),
          { role: 'assistant', content: [{ type: 'text', text: 'Hello' }, { type: 'reasoning', text: '', signature: tagGeminiThoughtSignature('S2') }, { type: 'text', text: ' there' }] },
        ],
      });
      assert.deepEqual(body.contents[1]?.parts, [{ text: 'Hello' }, { text: ' there', thoughtSignature: 'S2' }]);
    });
  });

  describe('media', () => {
    const pdf = Buffer.from('%PDF-1.7 tiny').toString('base64');
    it('sends images, audio, video and PDF bytes as inlineData', () => {
      const body = convert({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe these' },
              { type: 'image', source: { kind: 'base64', data: 'iVBORw0KGgo=' }, mediaType: 'image/png', filename: 'a.png' },
              { type: 'audio', source: { kind: 'base64', data: 'UklGRiQ=' }, mediaType: 'audio/wav' },
              { type: 'video', source: { kind: 'base64', data: 'AAAAIGZ0eXA=' }, mediaType: 'video/mp4' },
              { type: 'file', source: { kind: 'base64', data: pdf }, mediaType: 'application/pdf', filename: 'spec.pdf' },
              { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' }, mediaType: 'image/jpeg' },
            ],
          },
        ],
      });
      assert.deepEqual(body.contents[0]?.parts, [
        { text: 'Describe these' },
        { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
        { inlineData: { mimeType: 'audio/wav', data: 'UklGRiQ=' } },
        { inlineData: { mimeType: 'video/mp4', data: 'AAAAIGZ0eXA=' } },
        { inlineData: { mimeType: 'application/pdf', data: pdf } },
        { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      ]);
    });

    it('sends https links as fileData', () => {
      const body = convert({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'video', source: { kind: 'url', url: 'https://www.youtube.com/watch?v=9hE5-98ZeCg' }, mediaType: 'video/mp4' },
              { type: 'file', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' }, mediaType: 'application/pdf' },
            ],
          },
        ],
      });
      assert.deepEqual(body.contents[0]?.parts, [
        { fileData: { mimeType: 'video/mp4', fileUri: 'https://www.youtube.com/watch?v=9hE5-98ZeCg' } },
        { fileData: { mimeType: 'application/pdf', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
      ]);
    });

    it('refuses a URL Gemini cannot fetch, naming the file', () => {
      const error = invalidRequest(() =>
        convert({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'gs://bucket/cat.png' }, mediaType: 'image/png', filename: 'cat.png' }] }] }),
      );
      assert.match(error.message, /"cat\.png"/);
      assert.match(error.message, /gs:/);
    });

    it('names an unnamed link without its query (signed URLs carry tokens)', () => {
      const error = invalidRequest(() =>
        convert({
          messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'http://files.example/doc.pdf?X-Amz-Signature=s3cr3tvalue' }, mediaType: 'application/pdf' }] }],
        }),
      );
      assert.match(error.message, /files\.example\/doc\.pdf/);
      assert.doesNotMatch(error.message, /s3cr3tvalue/);
    });

    it('refuses inline data over the per-request limit, naming the file that crosses it and the limit', () => {
      const half = 'A'.repeat(GEMINI_INLINE_REQUEST_LIMIT_BYTES / 2);
      const error = invalidRequest(() =>
        convert({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'video', source: { kind: 'base64', data: half }, mediaType: 'video/mp4', filename: 'one.mp4' },
                { type: 'video', source: { kind: 'base64', data: half }, mediaType: 'video/mp4', filename: 'two.mp4' },
                { type: 'image', source: { kind: 'base64', data: 'AAAA' }, mediaType: 'image/png', filename: 'three.png' },
              ],
            },
          ],
        }),
      );
      assert.match(error.message, /"three\.png"/);
      assert.match(error.message, /100 MB/);
    });

    it('accepts inline data exactly at the limit', () => {
      const half = 'A'.repeat(GEMINI_INLINE_REQUEST_LIMIT_BYTES / 2);
      const body = convert({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'video', source: { kind: 'base64', data: half }, mediaType: 'video/mp4' },
              { type: 'video', source: { kind: 'base64', data: half }, mediaType: 'video/mp4' },
            ],
          },
        ],
      });
      assert.equal(body.contents[0]?.parts.length, 2);
    });

    it('refuses an inline PDF over the PDF limit, naming it', () => {
      const big = 'A'.repeat((GEMINI_INLINE_PDF_LIMIT_BYTES / 3) * 4 + 4);
      const error = invalidRequest(() =>
        convert({ messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'base64', data: big }, mediaType: 'application/pdf', filename: 'manual.pdf' }] }] }),
      );
      assert.match(error.message, /"manual\.pdf"/);
      assert.match(error.message, /50 MB/);
    });
  });

  describe('tools', () => {
    const tools = [
      { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
      { name: 'noop', inputSchema: { type: 'object', properties: {} } },
    ];

    it('declares tools with their JSON Schema unchanged as parametersJsonSchema', () => {
      const body = convert({ messages: [user('x')], tools });
      assert.deepEqual(body.tools, [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: tools[0]?.inputSchema },
            { name: 'noop', parametersJsonSchema: { type: 'object', properties: {} } },
          ],
        },
      ]);
      assert.equal(body.toolConfig, undefined);
    });

    const choices: Array<[ChatRequest['toolChoice'], unknown]> = [
      ['auto', { mode: 'AUTO' }],
      ['none', { mode: 'NONE' }],
      ['required', { mode: 'ANY' }],
      [{ type: 'tool', toolName: 'noop' }, { mode: 'ANY', allowedFunctionNames: ['noop'] }],
    ];
    for (const [choice, config] of choices) {
      it(`tool choice ${JSON.stringify(choice)} → ${JSON.stringify(config)}`, () => {
        assert.deepEqual(convert({ messages: [user('x')], tools, toolChoice: choice }).toolConfig, { functionCallingConfig: config });
      });
    }

    it('refuses a tool choice naming an unknown tool', () => {
      invalidRequest(() => convert({ messages: [user('x')], tools, toolChoice: { type: 'tool', toolName: 'missing' } }));
    });
  });

  describe('generation config', () => {
    it('maps sampling, limits, stops, seed and JSON output with a schema', () => {
      const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
      const body = convert({
        messages: [user('x')],
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 256,
        stop: ['END'],
        seed: 7,
        responseFormat: { type: 'json', schema, name: 'answer' },
      });
      assert.deepEqual(body.generationConfig, {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 256,
        stopSequences: ['END'],
        seed: 7,
        responseMimeType: 'application/json',
        responseJsonSchema: schema,
      });
    });

    it('uses a thinking budget on Gemini 2.5 and a thinking level on Gemini 3, always with thought summaries', () => {
      assert.deepEqual(convert({ messages: [user('x')], reasoningEffort: 'high' }, 'gemini-2.5-pro').generationConfig, {
        thinkingConfig: { includeThoughts: true, thinkingBudget: 24576 },
      });
      assert.deepEqual(convert({ messages: [user('x')], reasoningEffort: 'low' }, 'gemini-3-flash-preview').generationConfig, {
        thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' },
      });
      assert.deepEqual(convert({ messages: [user('x')], reasoningEffort: 'minimal' }, 'gemini-3-pro-preview').generationConfig?.thinkingConfig, {
        includeThoughts: true,
        thinkingLevel: 'low',
      });
      assert.equal(convert({ messages: [user('x')], reasoningEffort: 'high' }, 'gemini-2.0-flash').generationConfig, undefined);
    });

    it('merges providerOptions.gemini last, one level deep', () => {
      const safetySettings = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_ONLY_HIGH' }];
      const body = convert({
        messages: [user('x')],
        temperature: 1,
        reasoningEffort: 'high',
        providerOptions: {
          gemini: { safetySettings, generationConfig: { topK: 40, thinkingConfig: { thinkingBudget: 0 } } },
          anthropic: { ignored: true },
        },
      });
      assert.deepEqual(body.safetySettings, safetySettings);
      assert.deepEqual(body.generationConfig, { temperature: 1, topK: 40, thinkingConfig: { thinkingBudget: 0 } });
      assert.equal('ignored' in body, false);
    });
  });
});
