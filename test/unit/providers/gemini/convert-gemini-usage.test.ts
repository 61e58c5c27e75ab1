import assert from 'node:assert/strict';
import { convertGeminiUsage } from '../../../../src/core/providers/gemini/convert-gemini-usage';

describe('convertGeminiUsage', () => {
  it('splits cached from uncached input and counts thoughts as billed output', () => {
    const raw = { promptTokenCount: 5000, cachedContentTokenCount: 4200, candidatesTokenCount: 30, thoughtsTokenCount: 12, totalTokenCount: 5042 };
    assert.deepEqual(convertGeminiUsage(raw), {
      inputTokens: { total: 5000, noCache: 800, cacheRead: 4200, cacheWrite: 0 },
      outputTokens: { total: 42, text: 30, reasoning: 12 },
      raw,
    });
  });

  it('reads counts omitted from a present record as proto3 zeros', () => {
    const usage = convertGeminiUsage({ promptTokenCount: 8, candidatesTokenCount: 17, totalTokenCount: 25 });
    assert.deepEqual(usage.inputTokens, { total: 8, noCache: 8, cacheRead: 0, cacheWrite: 0 });
    assert.deepEqual(usage.outputTokens, { total: 17, text: 17, reasoning: 0 });
  });

  it('keeps every count unknown when no record arrived', () => {
    const usage = convertGeminiUsage(undefined);
    assert.equal(usage.inputTokens.total, undefined);
    assert.equal(usage.outputTokens.total, undefined);
    assert.equal(usage.raw, undefined);
  });

  it('output total + input total equals Gemini totalTokenCount for the documented gemini-3 example', () => {
    const raw = { promptTokenCount: 34, candidatesTokenCount: 418, thoughtsTokenCount: 438, totalTokenCount: 890 };
    const usage = convertGeminiUsage(raw);
    assert.equal((usage.inputTokens.total ?? 0) + (usage.outputTokens.total ?? 0), raw.totalTokenCount);
  });
});
