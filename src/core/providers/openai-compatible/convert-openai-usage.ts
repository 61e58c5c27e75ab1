import { emptyUsage, type Usage } from '../../spec/usage';
import type { OpenAIUsage } from './openai-api';

/**
 * The family's usage record → ours, raw kept. `prompt_tokens` counts every prompt token, cached
 * or not (OpenAI, and OpenRouter for both cache reads and writes), so the plain-price part is what
 * is left after taking the cache out. DeepSeek says both halves itself (`prompt_cache_hit_tokens` +
 * `prompt_cache_miss_tokens` = `prompt_tokens`), which we prefer to arithmetic. Reasoning tokens
 * are inside `completion_tokens` everywhere except xAI, which reports them on top.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 * @see https://openrouter.ai/docs/use-cases/usage-accounting
 * @see https://api-docs.deepseek.com/guides/kv_cache
 * @see https://docs.x.ai/docs/key-information/consumption-and-rate-limits
 */
export function convertOpenAIUsage(usage: OpenAIUsage | undefined, options: { reasoningTokensInCompletion: boolean }): Usage {
  if (!usage) {
    return emptyUsage();
  }
  const total = value(usage.prompt_tokens);
  const cacheRead = value(usage.prompt_cache_hit_tokens) ?? value(usage.prompt_tokens_details?.cached_tokens);
  const cacheWrite = value(usage.prompt_tokens_details?.cache_write_tokens);
  const noCache = value(usage.prompt_cache_miss_tokens) ?? (total === undefined ? undefined : Math.max(0, total - (cacheRead ?? 0) - (cacheWrite ?? 0)));

  const completion = value(usage.completion_tokens);
  const reasoning = value(usage.completion_tokens_details?.reasoning_tokens);
  let outputTotal: number | undefined;
  let text: number | undefined;
  if (options.reasoningTokensInCompletion) {
    outputTotal = completion;
    text = completion === undefined ? undefined : Math.max(0, completion - (reasoning ?? 0));
  } else {
    outputTotal = completion === undefined ? undefined : completion + (reasoning ?? 0);
    text = completion;
  }
  return {
    inputTokens: { total, noCache, cacheRead, cacheWrite },
    outputTokens: { total: outputTotal, text, reasoning },
    raw: usage,
  };
}

function value(count: number | null | undefined): number | undefined {
  return count ?? undefined;
}
