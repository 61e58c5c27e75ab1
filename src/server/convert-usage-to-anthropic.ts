import type { Usage } from '../core/spec';
import { totalOutputTokens } from './convert-usage-to-openai';

/**
 * Our usage in Anthropic's shape, where `input_tokens` excludes the cached parts: reads and
 * writes are reported beside it, each billed at its own price.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function convertUsageToAnthropic(usage: Usage): Record<string, number> {
  const { total, noCache, cacheRead, cacheWrite } = usage.inputTokens;
  const uncached = noCache ?? Math.max(0, (total ?? 0) - (cacheRead ?? 0) - (cacheWrite ?? 0));
  return {
    input_tokens: uncached,
    cache_creation_input_tokens: cacheWrite ?? 0,
    cache_read_input_tokens: cacheRead ?? 0,
    output_tokens: totalOutputTokens(usage),
  };
}
