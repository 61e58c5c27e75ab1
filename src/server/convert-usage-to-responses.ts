import type { Usage } from '../core/spec';
import { totalInputTokens, totalOutputTokens } from './convert-usage-to-openai';

/**
 * Our usage in the Responses API's shape, whose detail objects are required.
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
export function convertUsageToResponses(usage: Usage): Record<string, unknown> {
  const input = totalInputTokens(usage);
  const output = totalOutputTokens(usage);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.inputTokens.cacheRead ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning ?? 0 },
    total_tokens: input + output,
  };
}
