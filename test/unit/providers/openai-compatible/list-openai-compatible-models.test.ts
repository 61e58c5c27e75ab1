import assert from 'node:assert/strict';
import { listOpenAICompatibleModels } from '../../../../src/core/providers/openai-compatible/list-openai-compatible-models';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';

describe('listOpenAICompatibleModels', () => {
  let upstream: FakeUpstream;
  const signal = () => new AbortController().signal;
  const config = (preset: string, basePath: string, apiKey?: string): ProviderConfig => ({ id: preset, kind: 'openai-compatible', preset, baseUrl: `${upstream.url}${basePath}`, apiKey });

  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('maps OpenRouter context_length, max completion tokens and input modalities', async () => {
    // Shape from https://openrouter.ai/docs/api/api-reference/models/get-models
    upstream.on('GET /api/v1/models', {
      json: {
        data: [
          {
            id: 'anthropic/claude-sonnet-4',
            canonical_slug: 'anthropic/claude-4-sonnet-20250522',
            name: 'Anthropic: Claude Sonnet 4',
            created: 1747930371,
            context_length: 200000,
            architecture: { modality: 'text+image->text', input_modalities: ['image', 'text', 'file'], output_modalities: ['text'], tokenizer: 'Claude' },
            pricing: { prompt: '0.000003', completion: '0.000015' },
            top_provider: { context_length: 200000, max_completion_tokens: 64000, is_moderated: false },
          },
        ],
      },
    });
    const models = await listOpenAICompatibleModels(config('openrouter', '/api/v1', 'sk-or-v1-abcdef0123456789'), signal());
    assert.deepEqual(models, [
      { id: 'anthropic/claude-sonnet-4', displayName: 'Anthropic: Claude Sonnet 4', contextLength: 200000, maxOutputTokens: 64000, inputModalities: ['image', 'text', 'file'] },
    ]);
    assert.equal(upstream.requests[0]?.headers.authorization, 'Bearer sk-or-v1-abcdef0123456789');
  });

  it("maps Groq's context_window and Mistral's max_context_length and vision flag", async () => {
    // https://console.groq.com/docs/api-reference#models-list
    upstream.on('GET /openai/v1/models', { json: { object: 'list', data: [{ id: 'llama-3.3-70b-versatile', object: 'model', created: 1733447754, owned_by: 'Meta', active: true, context_window: 131072 }] } });
    assert.deepEqual(await listOpenAICompatibleModels(config('groq', '/openai/v1', 'gsk_abcdefghijklmnopqrstuv'), signal()), [{ id: 'llama-3.3-70b-versatile', contextLength: 131072 }]);
    // https://docs.mistral.ai/api/#tag/models
    upstream.on('GET /v1/models', {
      json: { object: 'list', data: [{ id: 'pixtral-large-latest', object: 'model', owned_by: 'mistralai', capabilities: { completion_chat: true, function_calling: true, vision: true }, name: 'pixtral-large-2411', max_context_length: 131072 }] },
    });
    assert.deepEqual(await listOpenAICompatibleModels(config('mistral', '/v1', 'mistralkey0123456789'), signal()), [
      { id: 'pixtral-large-latest', displayName: 'pixtral-large-2411', contextLength: 131072, inputModalities: ['text', 'image'] },
    ]);
  });

  it("reads Together's bare array and keeps only chat models", async () => {
    upstream.on('GET /v1/models', {
      json: [
        { id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', type: 'chat', display_name: 'Llama 3.3 70B', context_length: 131072 },
        { id: 'BAAI/bge-large-en-v1.5', object: 'model', type: 'embedding', context_length: 512 },
      ],
    });
    assert.deepEqual(await listOpenAICompatibleModels(config('together', '/v1', 'tgp_v1_abcdef'), signal()), [{ id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', displayName: 'Llama 3.3 70B', contextLength: 131072 }]);
  });

  it('lists an Ollama server without a key', async () => {
    upstream.on('GET /v1/models', { json: { object: 'list', data: [{ id: 'llama3.2:latest', object: 'model', created: 1730000000, owned_by: 'library' }] } });
    assert.deepEqual(await listOpenAICompatibleModels(config('ollama', '/v1'), signal()), [{ id: 'llama3.2:latest' }]);
    assert.equal(upstream.requests[0]?.headers.authorization, undefined);
  });

  it('rejects with the mapped error on 401, and refuses Azure without calling it', async () => {
    upstream.on('GET /v1/models', { status: 401, json: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } } });
    await assert.rejects(listOpenAICompatibleModels(config('openai', '/v1', 'sk-proj-wrongwrongwrongwrong'), signal()), (error: { kind?: string }) => error.kind === 'auth');
    await assert.rejects(listOpenAICompatibleModels({ ...config('azure', '', '0123456789abcdef0123456789abcdef') }, signal()), (error: { kind?: string }) => error.kind === 'config');
    assert.equal(upstream.requests.length, 1);
  });
});
