import assert from 'node:assert/strict';
import { assignModelTier } from '../../../src/core/catalog/assign-model-tier';

describe('assignModelTier', () => {
  const cases: Array<[string, 1 | 2 | 3 | 4 | undefined]> = [
    ['anthropic/claude-opus-4.8', 1],
    ['anthropic/claude-sonnet-4.5', 1],
    ['anthropic/claude-haiku-4.5', 3],
    ['openai/gpt-5', 1],
    ['openai/gpt-5-mini', 3],
    ['openai/gpt-4.1-nano', 4],
    ['openai/gpt-4.1', 2],
    ['openai/o4-mini', 2],
    ['google/gemini-2.5-pro', 1],
    ['google/gemini-2.5-flash', 2],
    ['google/gemini-2.5-flash-lite', 3],
    ['meta-llama/llama-3.3-70b-instruct', 3],
    ['meta-llama/llama-3.1-8b-instruct', 4],
    ['mistralai/ministral-8b-2512', 4],
    ['nousresearch/hermes-3-llama-3.1-405b', 2],
    ['acme/mystery', undefined],
  ];
  for (const [id, tier] of cases) {
    it(`${id} is tier ${String(tier)}`, () => {
      assert.equal(assignModelTier(id), tier);
    });
  }
});
