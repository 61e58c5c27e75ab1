export { createOpenAICompatibleChatModel } from './openai-compatible-chat-model';
export { listOpenAICompatibleModels } from './list-openai-compatible-models';
export { validateOpenAICompatibleKey } from './validate-openai-compatible-key';
export {
  DEFAULT_AZURE_API_VERSION,
  OPENAI_COMPATIBLE_PRESETS,
  resolveOpenAICompatiblePreset,
  type OpenAICompatiblePreset,
} from './openai-compatible-presets';
export { usesOpenAIImagesApi } from './uses-openai-images-api';
