import assert from 'node:assert/strict';
import { describeUnservableAttachments } from '../../../src/core/attachments/describe-unservable-attachments';
import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { ChatRequest, InputModality, UserContentPart } from '../../../src/core/spec/chat-request';

function model(id: string, tier: 1 | 2 | 3 | 4, endpoints: Array<[provider: string, modalities: InputModality[]]>): CatalogModel {
  return {
    id,
    name: id,
    tier,
    endpoints: endpoints.map(([provider, inputModalities]) => ({
      provider,
      upstreamModelId: id.split('/')[1] ?? id,
      pricing: { input: '0.000001', output: '0.000002' },
      contextLength: 128_000,
      maxOutputTokens: 8_192,
      inputModalities,
      outputModalities: ['text'],
      supportedParameters: [],
      dataPolicy: {},
    })),
  };
}

const CATALOG: CatalogModel[] = [
  model('anthropic/claude-sonnet-4.5', 1, [['anthropic', ['text', 'image', 'file']]]),
  model('openai/gpt-5-mini', 2, [['openai', ['text', 'image', 'file']]]),
  model('google/gemini-2.5-flash', 2, [['google', ['text', 'image', 'audio', 'video', 'file']], ['openrouter', ['text', 'image', 'audio', 'video', 'file']]]),
  model('openai/gpt-4o-audio-preview', 2, [['openai', ['text', 'audio']]]),
  model('meta/llama-3.3-70b', 3, [['groq', ['text']]]),
];

const audio: UserContentPart = { type: 'audio', filename: 'recording.wav', mediaType: 'audio/wav', source: { kind: 'base64', data: 'AAAA' } };
const video: UserContentPart = { type: 'video', filename: 'demo.mp4', mediaType: 'video/mp4', source: { kind: 'base64', data: 'AAAA' } };
const image: UserContentPart = { type: 'image', filename: 'diagram.png', mediaType: 'image/png', source: { kind: 'base64', data: 'AAAA' } };
const ask = (...parts: UserContentPart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, ...parts] }] });

describe('describeUnservableAttachments', () => {
  it('names the modality, the file, and the models that could read it with the key each needs', () => {
    const error = describeUnservableAttachments(ask(audio), { catalog: CATALOG, availableProviders: ['anthropic', 'groq'] });
    assert.equal(error?.kind, 'no-eligible-model');
    assert.equal(
      error?.message,
      'No model you can reach reads audio (recording.wav). Models that can: google/gemini-2.5-flash (needs a Google or an OpenRouter key), openai/gpt-4o-audio-preview (needs an OpenAI key).',
    );
  });

  it('returns undefined when some reachable model reads every modality, or the request has no media', () => {
    assert.equal(describeUnservableAttachments(ask(audio, image), { catalog: CATALOG, availableProviders: ['openrouter'] }), undefined);
    assert.equal(describeUnservableAttachments(ask(), { catalog: [], availableProviders: [] }), undefined);
  });

  it('reports each unservable modality, one sentence each, and leaves out the servable ones', () => {
    const error = describeUnservableAttachments(ask(image, audio, video), { catalog: CATALOG, availableProviders: ['anthropic'], maxSuggestions: 1 });
    assert.equal(
      error?.message,
      'No model you can reach reads audio (recording.wav). Models that can: google/gemini-2.5-flash (needs a Google or an OpenRouter key). ' +
        'No model you can reach reads video (demo.mp4). Models that can: google/gemini-2.5-flash (needs a Google or an OpenRouter key).',
    );
  });

  it('judges only the candidates the route considered, and says when a key the user has would reach a suggestion', () => {
    const error = describeUnservableAttachments(ask(audio), {
      catalog: CATALOG,
      availableProviders: ['openai', 'anthropic'],
      candidates: [
        { modelId: 'openai/gpt-5-mini', provider: 'openai' },
        { modelId: 'anthropic/claude-sonnet-4.5', provider: 'anthropic' },
      ],
    });
    assert.equal(
      error?.message,
      'No model you can reach reads audio (recording.wav). Models that can: openai/gpt-4o-audio-preview (your OpenAI key reaches it, but this route did not consider it), google/gemini-2.5-flash (needs a Google or an OpenRouter key).',
    );
  });

  it('does not count a candidate whose provider has no key', () => {
    const error = describeUnservableAttachments(ask(audio), { catalog: CATALOG, availableProviders: [], candidates: [{ modelId: 'google/gemini-2.5-flash', provider: 'google' }] });
    assert.match(error?.message ?? '', /^No model you can reach reads audio \(recording\.wav\)\./);
  });

  it('says when no catalog model reads the modality at all', () => {
    const error = describeUnservableAttachments(ask(video), { catalog: CATALOG.slice(0, 2), availableProviders: ['anthropic'] });
    assert.equal(error?.message, 'No model you can reach reads video (demo.mp4). No model in the catalog reads video.');
  });
});
