import type { Usage } from '../core/spec';
import { totalOutputTokens } from './convert-usage-to-openai';

/** Usage as the Messages API writes it. */
export interface AnthropicWireUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The writes split by lifetime, when the provider reported the split. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  /** What the provider's server tools did: the searches its web search ran, billed per search. */
  server_tool_use?: { web_search_requests: number };
}

/**
 * Our usage in Anthropic's shape, where `input_tokens` excludes the cached parts: reads and
 * writes are reported beside it, each billed at its own price.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#tracking-cache-performance
 */
export function convertUsageToAnthropic(usage: Usage): AnthropicWireUsage {
  const { total, noCache, cacheRead, cacheWrite, cacheWrite1h } = usage.inputTokens;
  const uncached = noCache ?? Math.max(0, (total ?? 0) - (cacheRead ?? 0) - (cacheWrite ?? 0));
  const written = cacheWrite ?? 0;
  return {
    input_tokens: uncached,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cacheRead ?? 0,
    ...(cacheWrite1h === undefined
      ? {}
      : { cache_creation: { ephemeral_5m_input_tokens: Math.max(0, written - cacheWrite1h), ephemeral_1h_input_tokens: cacheWrite1h } }),
    output_tokens: totalOutputTokens(usage),
    ...(usage.webSearchRequests === undefined ? {} : { server_tool_use: { web_search_requests: usage.webSearchRequests } }),
  };
}
