import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RunningEndpoint } from '../../support/endpoint-harness';
import { readSseFixture, type FakeUpstream } from '../../support/fake-upstream';
import { startRealEngineEndpoint, type RealEngineEndpoint } from '../../support/real-engine-endpoint';

const IMAGE_FIXTURE = join(__dirname, '../../fixtures/openai-compatible/openrouter-image.jsonl');
const MODEL = 'google/gemini-2.5-flash-image';

describe('endpoint: generated images reach the client (real engine, OpenRouter on a fake upstream)', () => {
  let running: RealEngineEndpoint;
  let upstream: FakeUpstream;
  let endpoint: RunningEndpoint;
  let openai: OpenAI;
  let png: string;

  before(async () => {
    png = (await readFile(join(__dirname, '../../fixtures/media/gradient.png'))).toString('base64');
  });
  beforeEach(async () => {
    running = await startRealEngineEndpoint((url) => ({
      providers: [{ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${url}/or`, apiKey: 'sk-or-v1-test-0000000000000000' }],
    }));
    ({ upstream, endpoint } = running);
    upstream.on('POST /or/chat/completions', () => ({ sse: readSseFixture(IMAGE_FIXTURE) }));
    openai = new OpenAI({ baseURL: `${endpoint.url}/v1`, apiKey: endpoint.token, maxRetries: 0 });
  });
  afterEach(() => running.close());

  it('chat completions (non-stream): message.images[] with the data URL, and modalities and image_config forwarded', async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'A lighthouse at dusk' }],
      ...({ modalities: ['image', 'text'], image_config: { aspect_ratio: '16:9' } } as object),
    });
    const message = completion.choices[0]?.message as unknown as { content: string; images?: Array<{ type: string; image_url: { url: string } }> };
    assert.equal(message.content, 'Here is a lighthouse at dusk.');
    assert.deepEqual(message.images, [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }]);
    const sent = upstream.requests[0]?.body as Record<string, unknown>;
    assert.deepEqual(sent.modalities, ['image', 'text']);
    assert.deepEqual(sent.image_config, { aspect_ratio: '16:9' });
  });

  it('chat completions (stream): the image arrives in delta.images[]', async () => {
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'A lighthouse at dusk' }],
      stream: true,
      ...({ modalities: ['image'] } as object),
    });
    const images: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { images?: Array<{ image_url: { url: string } }> } | undefined;
      for (const image of delta?.images ?? []) images.push(image.image_url.url);
    }
    assert.deepEqual(images, [`data:image/png;base64,${png}`]);
  });

  it('chat completions: an output modality Perpetuo cannot produce is a 400 naming the field', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], modalities: ['text', 'audio'] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /modalities\[1\]/.test(error.message),
    );
    assert.equal(upstream.requests.length, 0);
  });

  it('responses (non-stream): the image_generation tool routes to an image model and the image is an image_generation_call item', async () => {
    const response = await openai.responses.create({ model: MODEL, input: 'A lighthouse at dusk', tools: [{ type: 'image_generation' }] });
    const call = response.output.find((item) => item.type === 'image_generation_call');
    assert.ok(call, JSON.stringify(response.output.map((item) => item.type)));
    assert.equal(call.status, 'completed');
    assert.equal(call.result, png);
    assert.equal(response.output_text, 'Here is a lighthouse at dusk.');
    assert.deepEqual((upstream.requests[0]?.body as Record<string, unknown>).modalities, ['image', 'text']);
  });

  it('responses (stream): output_item.added, the image_generation_call lifecycle and output_item.done with the result', async () => {
    const stream = await openai.responses.create({ model: MODEL, input: 'A lighthouse at dusk', tools: [{ type: 'image_generation' }], stream: true });
    const seen: string[] = [];
    let result: string | null | undefined;
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type.includes('image_generation_call') || (event.type.startsWith('response.output_item') && 'item' in event && event.item.type === 'image_generation_call')) {
        seen.push(event.type);
      }
      if (event.type === 'response.output_item.done' && event.item.type === 'image_generation_call') result = event.item.result;
      if (event.type === 'response.completed') completed = event.response;
    }
    assert.deepEqual(seen, [
      'response.output_item.added',
      'response.image_generation_call.in_progress',
      'response.image_generation_call.generating',
      'response.image_generation_call.completed',
      'response.output_item.done',
    ]);
    assert.equal(result, png);
    assert.deepEqual(
      completed?.output.map((item) => item.type),
      ['message', 'image_generation_call'],
    );
  });

  it('messages: asking for image output is a 400 invalid_request_error that says the Messages API has none', async () => {
    const anthropic = new Anthropic({ baseURL: endpoint.url, apiKey: endpoint.token, maxRetries: 0 });
    await assert.rejects(
      anthropic.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'A lighthouse' }], ...({ modalities: ['image', 'text'] } as object) }),
      (error: unknown) => {
        assert.ok(error instanceof Anthropic.BadRequestError, String(error));
        assert.equal((error.error as { error?: { type?: string } }).error?.type, 'invalid_request_error');
        assert.match(error.message, /image output is not available in the Messages API/);
        return true;
      },
    );
    assert.equal(upstream.requests.length, 0);
  });

  it('messages: an image a model produces unasked is named in a text block, not dropped silently', async () => {
    const anthropic = new Anthropic({ baseURL: endpoint.url, apiKey: endpoint.token, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'A lighthouse' }] });
    assert.deepEqual(
      message.content.map((block) => (block.type === 'text' ? block.text : block.type)),
      ['Here is a lighthouse at dusk.', '[The model produced an image (image/png), which the Messages API cannot carry; ask /v1/chat/completions or /v1/responses for images.]'],
    );
  });
});
