import assert from 'node:assert/strict';
import { normalizeModelId } from '../../../src/core/catalog/normalize-model-id';

describe('normalizeModelId', () => {
  const cases: Array<[string | undefined, string, string]> = [
    // Anthropic: dashes for version dots, dated snapshots, "-0" majors
    ['anthropic', 'claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4.5'],
    ['anthropic', 'claude-opus-4-0', 'anthropic/claude-opus-4'],
    ['anthropic', 'claude-opus-4-20250514', 'anthropic/claude-opus-4'],
    ['anthropic', 'claude-3-5-haiku-20241022', 'anthropic/claude-3.5-haiku'],
    ['azure', 'claude-haiku-4-5', 'anthropic/claude-haiku-4.5'],
    // OpenRouter ids are canonical; :free is a tier of the same model
    ['openrouter', 'anthropic/claude-sonnet-4.5', 'anthropic/claude-sonnet-4.5'],
    ['openrouter', 'meta-llama/llama-3.3-70b-instruct:free', 'meta-llama/llama-3.3-70b-instruct'],
    ['openrouter', 'qwen/qwen-plus-2025-07-28:thinking', 'qwen/qwen-plus-2025-07-28:thinking'],
    // OpenAI ids keep their dashed dates
    ['openai', 'gpt-4o-2024-08-06', 'openai/gpt-4o-2024-08-06'],
    ['openai', 'gpt-5-chat-latest', 'openai/gpt-5-chat'],
    ['openai', 'o3', 'openai/o3'],
    ['azure', 'gpt-4.1-mini', 'openai/gpt-4.1-mini'],
    // Gemini's listing prefixes models/
    ['google', 'models/gemini-2.5-pro', 'google/gemini-2.5-pro'],
    ['google', 'gemma-4-31b-it', 'google/gemma-4-31b-it'],
    // Hosts of open models
    ['groq', 'llama-3.3-70b-versatile', 'meta-llama/llama-3.3-70b-instruct'],
    ['groq', 'meta-llama/llama-4-scout-17b-16e-instruct', 'meta-llama/llama-4-scout'],
    ['groq', 'openai/gpt-oss-120b', 'openai/gpt-oss-120b'],
    ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'meta-llama/llama-3.3-70b-instruct'],
    ['together', 'deepseek-ai/DeepSeek-V4-Pro', 'deepseek/deepseek-v4-pro'],
    ['together', 'zai-org/GLM-5.1', 'z-ai/glm-5.1'],
    ['together', 'MiniMaxAI/MiniMax-M2.7', 'minimax/minimax-m2.7'],
    ['together', 'deepcogito/cogito-v2-1-671b', 'deepcogito/cogito-v2.1-671b'],
    ['fireworks', 'accounts/fireworks/models/kimi-k2p6', 'moonshotai/kimi-k2.6'],
    ['fireworks', 'accounts/fireworks/models/glm-5p1', 'z-ai/glm-5.1'],
    ['fireworks', 'accounts/fireworks/models/qwen3p7-plus', 'qwen/qwen3.7-plus'],
    ['azure', 'meta-llama-3.1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct'],
    ['azure', 'llama-4-maverick-17b-128e-instruct-fp8', 'meta-llama/llama-4-maverick'],
    ['azure', 'cohere-command-a', 'cohere/command-a'],
    ['azure', 'deepseek-v3-0324', 'deepseek/deepseek-chat-v3-0324'],
    // xAI release tags, and Azure's dashed grok version
    ['xai', 'grok-4.20-0309-reasoning', 'x-ai/grok-4.20'],
    ['xai', 'grok-4.20-multi-agent-0309', 'x-ai/grok-4.20-multi-agent'],
    ['azure', 'grok-4-20-non-reasoning', 'x-ai/grok-4.20-non-reasoning'],
    // Mistral's own names
    ['mistral', 'mistral-large-2512', 'mistralai/mistral-large-2512'],
    // Unknown provider: by family, else under the provider's name
    [undefined, 'claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5'],
    ['my-vllm', 'some-private-model', 'my-vllm/some-private-model'],
    // Local servers keep the user's tag as it is
    ['ollama', 'llama3.2:3b', 'ollama/llama3.2:3b'],
  ];
  for (const [provider, upstream, expected] of cases) {
    it(`${provider ?? '(no provider)'}: ${upstream} → ${expected}`, () => {
      assert.equal(normalizeModelId(upstream, provider).id, expected);
    });
  }

  it('does not turn parameter counts or dates into versions', () => {
    assert.equal(normalizeModelId('meta-llama-3-8b-instruct', 'azure').id, 'meta-llama/llama-3-8b-instruct');
    assert.equal(normalizeModelId('gemma-3-27b-it', 'google').id, 'google/gemma-3-27b-it');
    assert.equal(normalizeModelId('deepseek-r1-0528', 'azure').id, 'deepseek/deepseek-r1-0528');
  });

  it('reports the free tier and a quantisation suffix on the side', () => {
    assert.deepEqual(normalizeModelId('openai/gpt-oss-20b:free', 'openrouter'), { id: 'openai/gpt-oss-20b', serviceTier: 'free' });
    assert.deepEqual(normalizeModelId('Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8', 'together'), {
      id: 'qwen/qwen3-coder-480b-a35b-instruct',
      quantization: 'fp8',
    });
  });
});
