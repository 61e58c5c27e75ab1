import { emptyUsage, type Usage } from '../../spec/usage';
import type { OpenAIImagesResponse } from './openai-api';

/**
 * The Images API's `usage` as our Usage: `input_tokens` (text and image tokens of the prompt, no
 * cache) and `output_tokens` (the image's tokens, billed at the model's output price). DALL·E
 * sends no usage: every count stays unknown and the image is priced per image, if at all.
 * @see https://platform.openai.com/docs/api-reference/images/object#images/object-usage
 * @see https://platform.openai.com/docs/pricing#image-generation
 */
export function convertOpenAIImagesUsage(usage: OpenAIImagesResponse['usage']): Usage {
  if (usage == null) {
    return emptyUsage();
  }
  return {
    inputTokens: { total: usage.input_tokens, noCache: usage.input_tokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: usage.output_tokens, text: usage.output_tokens, reasoning: 0 },
    raw: usage,
  };
}
