import type { HttpOptions } from '../http/http-options';
import type { ChatModel } from '../spec/chat-model';
import { createAnthropicChatModel, listAnthropicModels, validateAnthropicKey } from './anthropic';
import { createGeminiChatModel, listGeminiModels, validateGeminiKey } from './gemini';
import { createOpenAICompatibleChatModel, listOpenAICompatibleModels, validateOpenAICompatibleKey } from './openai-compatible';
import type { KeyVerdict, ListedModel, ProviderConfig, ProviderKind } from './provider-config';

// Kept apart so that code needing only the config (settings, key commands) does not load every adapter.
export { providerConfigFor } from './provider-config-for';

/** What Perpetuo can do with one kind of provider API. */
export interface ProviderDriver {
  createChatModel(config: ProviderConfig, modelId: string, http?: HttpOptions): ChatModel;
  listModels(config: ProviderConfig, signal: AbortSignal, http?: HttpOptions): Promise<ListedModel[]>;
  validateKey(config: ProviderConfig, signal: AbortSignal, http?: HttpOptions): Promise<KeyVerdict>;
}

const DRIVERS: Record<ProviderKind, ProviderDriver> = {
  'openai-compatible': { createChatModel: createOpenAICompatibleChatModel, listModels: listOpenAICompatibleModels, validateKey: validateOpenAICompatibleKey },
  anthropic: { createChatModel: createAnthropicChatModel, listModels: listAnthropicModels, validateKey: validateAnthropicKey },
  gemini: { createChatModel: createGeminiChatModel, listModels: listGeminiModels, validateKey: validateGeminiKey },
};

export function driverFor(kind: ProviderKind): ProviderDriver {
  return DRIVERS[kind];
}
