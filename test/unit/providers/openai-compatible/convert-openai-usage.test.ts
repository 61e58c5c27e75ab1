import assert from 'node:assert/strict';
import { convertOpenAIUsage } from '../../../../src/core/providers/openai-compatible/convert-openai-usage';

const inCompletion = { reasoningTokensInCompletion: true };

describe('convertOpenAIUsage', () => {
  it('splits OpenAI cached tokens out of prompt_tokens and reasoning out of completion_tokens', () => {
    const raw = { prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 }, completion_tokens_details: { reasoning_tokens: 128 } };
    const usage = convertOpenAIUsage(raw, inCompletion);
    assert.deepEqual(usage.inputTokens, { total: 2006, noCache: 86, cacheRead: 1920, cacheWrite: undefined });
    assert.deepEqual(usage.outputTokens, { total: 300, text: 172, reasoning: 128 });
    assert.equal(usage.raw, raw);
  });

  it('takes OpenRouter cache writes out of the plain-price input too', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 194, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 50, cache_write_tokens: 100 }, cost: 0.95 }, inCompletion);
    assert.deepEqual(usage.inputTokens, { total: 194, noCache: 44, cacheRead: 50, cacheWrite: 100 });
  });

  it("uses DeepSeek's own hit/miss counters", () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 1200, completion_tokens: 230, prompt_cache_hit_tokens: 1024, prompt_cache_miss_tokens: 176, completion_tokens_details: { reasoning_tokens: 200 } }, inCompletion);
    assert.deepEqual(usage.inputTokens, { total: 1200, noCache: 176, cacheRead: 1024, cacheWrite: undefined });
    assert.deepEqual(usage.outputTokens, { total: 230, text: 30, reasoning: 200 });
  });

  it('adds xAI reasoning tokens on top of completion_tokens', () => {
    const usage = convertOpenAIUsage({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 399, completion_tokens_details: { reasoning_tokens: 386 } }, { reasoningTokensInCompletion: false });
    assert.deepEqual(usage.outputTokens, { total: 387, text: 1, reasoning: 386 });
    assert.equal((usage.inputTokens.total ?? 0) + (usage.outputTokens.total ?? 0), 399);
  });

  it('leaves counts the provider did not report undefined, never zero', () => {
    assert.deepEqual(convertOpenAIUsage(undefined, inCompletion), {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    });
    const partial = convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: null }, inCompletion);
    assert.equal(partial.outputTokens.total, undefined);
    assert.equal(partial.outputTokens.text, undefined);
    assert.equal(partial.inputTokens.cacheRead, undefined);
    assert.equal(partial.inputTokens.noCache, 10);
  });
});
