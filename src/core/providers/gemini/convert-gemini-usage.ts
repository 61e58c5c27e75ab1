import type { Usage } from '../../spec/usage';
import { emptyUsage } from '../../spec/usage';
import type { GeminiUsageMetadata } from './gemini-api';

/**
 * Gemini's `usageMetadata` as our Usage. Pass the *latest* record of a stream: every chunk
 * carries running totals (the last one the final totals), so summing chunks would overcount.
 *
 * - input total = `promptTokenCount`, which already includes cached tokens;
 *   cacheRead = `cachedContentTokenCount`; noCache = prompt − cached.
 * - cacheWrite = 0: generateContent never bills a per-token cache write (implicit caching is free
 *   to populate; explicit caches are created and billed by `cachedContents`, not here).
 * - output text = `candidatesTokenCount`, reasoning = `thoughtsTokenCount`, and output total =
 *   text + reasoning, because Gemini bills thinking tokens at the output price while
 *   `candidatesTokenCount` leaves them out.
 * - `toolUsePromptTokenCount` (built-in tools such as Google Search) is not folded in; it stays
 *   in `raw` for audits.
 *
 * The record is proto3 JSON, where a zero is omitted, not sent: inside a record that is present
 * a missing count therefore *is* 0 (a non-thinking model sends no `thoughtsTokenCount`, a request
 * without a cache hit no `cachedContentTokenCount`). With no record at all, every count stays
 * unknown.
 * @see https://ai.google.dev/api/generate-content#UsageMetadata
 * @see https://ai.google.dev/gemini-api/docs/pricing
 */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  if (usage === undefined) {
    return emptyUsage();
  }
  const prompt = usage.promptTokenCount ?? 0;
  const cached = usage.cachedContentTokenCount ?? 0;
  const text = usage.candidatesTokenCount ?? 0;
  const reasoning = usage.thoughtsTokenCount ?? 0;
  return {
    inputTokens: { total: prompt, noCache: prompt - cached, cacheRead: cached, cacheWrite: 0 },
    outputTokens: { total: text + reasoning, text, reasoning },
    raw: usage,
  };
}
