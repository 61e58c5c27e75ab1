import type { ProviderConfig } from '../provider-config';

/** OpenAI's image models: GPT Image (`gpt-image-1`, `gpt-image-1-mini`, `gpt-image-1.5`, `chatgpt-image-latest`) and DALL·E. */
const IMAGE_MODEL = /^(gpt-image|chatgpt-image|dall-e)/i;

/**
 * Whether an image request to this model goes to OpenAI's Images API (`/images/generations`)
 * rather than Chat Completions: OpenAI and Azure OpenAI serve their image models there only.
 * @see https://platform.openai.com/docs/guides/image-generation?image-generation-model=gpt-image-1
 */
export function usesOpenAIImagesApi(config: Pick<ProviderConfig, 'id' | 'kind' | 'preset'>, modelId: string): boolean {
  const preset = config.preset ?? config.id;
  return config.kind === 'openai-compatible' && (preset === 'openai' || preset === 'azure') && IMAGE_MODEL.test(modelId);
}
