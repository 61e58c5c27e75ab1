import assert from 'node:assert/strict';
import { convertAnthropicUsage } from '../../../../src/core/providers/anthropic';

describe('convertAnthropicUsage', () => {
  it('totals the prompt as input + cache writes + cache reads', () => {
    const usage = convertAnthropicUsage({ input_tokens: 50, cache_creation_input_tokens: 248, cache_read_input_tokens: 100_000, output_tokens: 1 }, { output_tokens: 503 }, { sawThinking: false });
    assert.deepEqual(usage.inputTokens, { total: 100_298, noCache: 50, cacheRead: 100_000, cacheWrite: 248 });
    assert.deepEqual(usage.outputTokens, { total: 503, text: 503, reasoning: undefined });
  });

  it('leaves text unknown when thinking tokens hide inside output_tokens', () => {
    const usage = convertAnthropicUsage({ input_tokens: 10 }, { output_tokens: 900 }, { sawThinking: true });
    assert.deepEqual(usage.outputTokens, { total: 900, text: undefined, reasoning: undefined });
  });

  it('reports nothing as zero when nothing was reported', () => {
    const usage = convertAnthropicUsage(undefined, undefined, { sawThinking: false });
    assert.deepEqual([usage.inputTokens.total, usage.outputTokens.total], [undefined, undefined]);
  });
});
