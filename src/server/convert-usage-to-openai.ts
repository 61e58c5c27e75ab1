import type { Usage } from '../core/spec';

/**
 * Prompt tokens in total: the provider's total, else the sum of the parts it did report.
 * The wire formats require numbers, so a count nobody reported goes out as 0 there — but
 * only at this last edge: core keeps it `undefined`.
 */
export function totalInputTokens(usage: Usage): number {
  const input = usage.inputTokens;
  return input.total ?? (input.noCache ?? 0) + (input.cacheRead ?? 0) + (input.cacheWrite ?? 0);
}

export function totalOutputTokens(usage: Usage): number {
  const output = usage.outputTokens;
  return output.total ?? (output.text ?? 0) + (output.reasoning ?? 0);
}

/**
 * Our usage in Chat Completions' shape, with OpenRouter's extensions (`cache_write_tokens`,
 * `cost`). Detail fields appear only when the provider reported them.
 * @see https://openrouter.ai/docs/use-cases/usage-accounting
 */
export function convertUsageToOpenAI(usage: Usage, reportedCostUsd?: number): Record<string, unknown> {
  const prompt = totalInputTokens(usage);
  const completion = totalOutputTokens(usage);
  const promptDetails: Record<string, number> = {};
  if (usage.inputTokens.cacheRead !== undefined) {
    promptDetails.cached_tokens = usage.inputTokens.cacheRead;
  }
  if (usage.inputTokens.cacheWrite !== undefined) {
    promptDetails.cache_write_tokens = usage.inputTokens.cacheWrite;
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(Object.keys(promptDetails).length > 0 ? { prompt_tokens_details: promptDetails } : {}),
    ...(usage.outputTokens.reasoning === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning } }),
    ...(reportedCostUsd === undefined ? {} : { cost: reportedCostUsd }),
  };
}
