import type { Usage } from '../../spec/usage';
import type { AnthropicUsage } from './anthropic-api';

/**
 * Normalises the usage of one streamed Message.
 *
 * `message_start` carries the input side; every `message_delta` carries counts that are
 * *cumulative* — so the latest value of each field wins and nothing is ever summed (summing is
 * the overcount that gateways keep shipping, tensorzero #5481). Newer API versions repeat the
 * input and cache counts in `message_delta`; when present they are the final word too.
 *
 * `input_tokens` counts only the tokens after the last cache breakpoint, so the prompt total is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`.
 *
 * `cache_creation.ephemeral_1h_input_tokens` says how many of the written tokens were cached for
 * one hour, which costs more than the default five minutes.
 *
 * `server_tool_use.web_search_requests` counts the searches the web search tool ran, billed per
 * search; cumulative like the rest.
 *
 * Thinking tokens are billed inside `output_tokens` and never reported apart, so `reasoning` stays
 * unknown; `text` equals the total only when the answer had no thinking block.
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching#tracking-cache-performance
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming#event-types
 */
export function convertAnthropicUsage(
  start: AnthropicUsage | undefined,
  latestDelta: AnthropicUsage | undefined,
  options: { sawThinking: boolean },
): Usage {
  const latest = (field: 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens') =>
    latestDelta?.[field] ?? start?.[field] ?? undefined;
  const input = latest('input_tokens');
  const cacheWrite = latest('cache_creation_input_tokens');
  const cacheRead = latest('cache_read_input_tokens');
  const output = latest('output_tokens');
  const cacheWrite1h = (latestDelta?.cache_creation ?? start?.cache_creation)?.ephemeral_1h_input_tokens ?? undefined;
  const webSearchRequests = (latestDelta?.server_tool_use ?? start?.server_tool_use)?.web_search_requests ?? undefined;
  return {
    inputTokens: {
      total: input === undefined ? undefined : input + (cacheWrite ?? 0) + (cacheRead ?? 0),
      noCache: input,
      cacheRead,
      cacheWrite,
      ...(cacheWrite1h === undefined ? {} : { cacheWrite1h }),
    },
    outputTokens: {
      total: output,
      text: options.sawThinking ? undefined : output,
      reasoning: undefined,
    },
    ...(webSearchRequests === undefined ? {} : { webSearchRequests }),
    raw: { message_start: start, message_delta: latestDelta },
  };
}
