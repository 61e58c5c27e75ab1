import assert from 'node:assert/strict';
import { createOpenAICompatibleChatModel } from '../../../../src/core/providers/openai-compatible/openai-compatible-chat-model';
import { OPENAI_COMPATIBLE_PRESETS } from '../../../../src/core/providers/openai-compatible/openai-compatible-presets';
import { resolveOpenAICompatibleEndpoint } from '../../../../src/core/providers/openai-compatible/resolve-openai-compatible-endpoint';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';
import { collectStreamParts, openAIFixture, textOf } from './collect-stream-parts';

interface PresetCase {
  preset: string;
  /** The documented chat URL with the preset's default base. */
  defaultChatUrl: string;
  /** The path of the documented base URL, reproduced on the fake upstream. */
  basePath: string;
  apiKey?: string;
  auth: { header: 'authorization'; value: string } | { header: 'api-key'; value: string } | { header: 'none' };
  /** Azure: a resource endpoint and version stand in for the missing default base. */
  extra?: Partial<ProviderConfig>;
}

const CASES: PresetCase[] = [
  { preset: 'openai', defaultChatUrl: 'https://api.openai.com/v1/chat/completions', basePath: '/v1', apiKey: 'sk-proj-a1b2c3d4e5f6g7h8i9j0', auth: { header: 'authorization', value: 'Bearer sk-proj-a1b2c3d4e5f6g7h8i9j0' } },
  { preset: 'openrouter', defaultChatUrl: 'https://openrouter.ai/api/v1/chat/completions', basePath: '/api/v1', apiKey: 'sk-or-v1-0a1b2c3d4e5f', auth: { header: 'authorization', value: 'Bearer sk-or-v1-0a1b2c3d4e5f' } },
  { preset: 'groq', defaultChatUrl: 'https://api.groq.com/openai/v1/chat/completions', basePath: '/openai/v1', apiKey: 'gsk_a1b2c3d4e5f6g7h8i9j0k1l2', auth: { header: 'authorization', value: 'Bearer gsk_a1b2c3d4e5f6g7h8i9j0k1l2' } },
  { preset: 'mistral', defaultChatUrl: 'https://api.mistral.ai/v1/chat/completions', basePath: '/v1', apiKey: 'mistralkey0123456789', auth: { header: 'authorization', value: 'Bearer mistralkey0123456789' } },
  { preset: 'deepseek', defaultChatUrl: 'https://api.deepseek.com/chat/completions', basePath: '', apiKey: 'sk-deepseek0123456789abcd', auth: { header: 'authorization', value: 'Bearer sk-deepseek0123456789abcd' } },
  { preset: 'xai', defaultChatUrl: 'https://api.x.ai/v1/chat/completions', basePath: '/v1', apiKey: 'xai-a1b2c3d4e5f6g7h8i9j0k1', auth: { header: 'authorization', value: 'Bearer xai-a1b2c3d4e5f6g7h8i9j0k1' } },
  { preset: 'together', defaultChatUrl: 'https://api.together.xyz/v1/chat/completions', basePath: '/v1', apiKey: 'tgp_v1_a1b2c3d4e5f6', auth: { header: 'authorization', value: 'Bearer tgp_v1_a1b2c3d4e5f6' } },
  { preset: 'fireworks', defaultChatUrl: 'https://api.fireworks.ai/inference/v1/chat/completions', basePath: '/inference/v1', apiKey: 'fw_a1b2c3d4e5f6g7h8i9', auth: { header: 'authorization', value: 'Bearer fw_a1b2c3d4e5f6g7h8i9' } },
  {
    preset: 'azure',
    defaultChatUrl: 'https://contoso.openai.azure.com/openai/deployments/test-model/chat/completions?api-version=2024-10-21',
    basePath: '',
    apiKey: '0123456789abcdef0123456789abcdef',
    auth: { header: 'api-key', value: '0123456789abcdef0123456789abcdef' },
    extra: { azureApiVersion: '2024-10-21' },
  },
  { preset: 'ollama', defaultChatUrl: 'http://127.0.0.1:11434/v1/chat/completions', basePath: '/v1', auth: { header: 'none' } },
  { preset: 'lmstudio', defaultChatUrl: 'http://127.0.0.1:1234/v1/chat/completions', basePath: '/v1', auth: { header: 'none' } },
  { preset: 'custom', defaultChatUrl: 'https://llm.internal.example/v1/chat/completions', basePath: '/v1', apiKey: 'my-vllm-token-0123', auth: { header: 'authorization', value: 'Bearer my-vllm-token-0123' } },
];

describe('OpenAI-compatible presets', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('covers every preset in the table', () => {
    assert.deepEqual(CASES.map((c) => c.preset).sort(), Object.keys(OPENAI_COMPATIBLE_PRESETS).sort());
  });

  for (const c of CASES) {
    it(`${c.preset}: documented URL, its auth header, and a text stream`, async () => {
      // The documented default base, checked without the network.
      const defaults: ProviderConfig = {
        id: c.preset,
        kind: 'openai-compatible',
        preset: c.preset,
        apiKey: c.apiKey,
        ...c.extra,
        ...(c.preset === 'azure' ? { baseUrl: 'https://contoso.openai.azure.com/' } : {}),
        ...(c.preset === 'custom' ? { baseUrl: 'https://llm.internal.example/v1' } : {}),
      };
      const endpoint = resolveOpenAICompatibleEndpoint(defaults, { kind: 'chat', modelId: 'test-model' });
      assert.equal(endpoint.url, c.defaultChatUrl);
      if (c.apiKey) {
        assert.ok(!endpoint.url.includes(c.apiKey), 'the key never goes into the URL');
      }

      // The same request over the wire, the base's path reproduced on 127.0.0.1.
      const chatPath = c.preset === 'azure' ? '/openai/deployments/test-model/chat/completions' : `${c.basePath}/chat/completions`;
      upstream.on(`POST ${chatPath}`, { sse: openAIFixture('openai-text-usage') });
      const config: ProviderConfig = { ...defaults, baseUrl: `${upstream.url}${c.basePath}` };
      const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'test-model').stream({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] }, new AbortController().signal));
      assert.equal(textOf(parts), 'Hello there, héllo wörld! 👋');
      assert.equal(parts.at(-1)?.type, 'finish');

      const sent = upstream.requests[0];
      assert.equal(sent?.path, chatPath);
      assert.equal((sent?.body as { stream?: boolean }).stream, true);
      if (c.auth.header === 'none') {
        assert.equal(sent?.headers.authorization, undefined);
        assert.equal(sent?.headers['api-key'], undefined);
      } else {
        assert.equal(sent?.headers[c.auth.header], c.auth.value);
        assert.equal(sent?.headers[c.auth.header === 'api-key' ? 'authorization' : 'api-key'], undefined);
      }
    });
  }

  it('custom: sends no authorization header when no key is configured', async () => {
    upstream.on('POST /v1/chat/completions', { sse: openAIFixture('openai-text-usage') });
    const config: ProviderConfig = { id: 'llamacpp', kind: 'openai-compatible', preset: 'custom', baseUrl: `${upstream.url}/v1/` };
    const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'local').stream({ messages: [] }, new AbortController().signal));
    assert.equal(parts.at(-1)?.type, 'finish');
    assert.equal(upstream.requests[0]?.headers.authorization, undefined);
  });

  it('refuses an unknown preset name', () => {
    assert.throws(() => resolveOpenAICompatibleEndpoint({ id: 'x', kind: 'openai-compatible', preset: 'nope', baseUrl: 'http://127.0.0.1:1' }, { kind: 'models' }), /Unknown OpenAI-compatible preset/);
  });
});
