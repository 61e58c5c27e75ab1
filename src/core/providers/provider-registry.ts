import type { HttpOptions } from '../http/http-options';
import type { ChatModel } from '../spec/chat-model';
import { createAnthropicChatModel, listAnthropicModels, validateAnthropicKey } from './anthropic';
import { createGeminiChatModel, listGeminiModels, validateGeminiKey } from './gemini';
import { createOpenAICompatibleChatModel, listOpenAICompatibleModels, OPENAI_COMPATIBLE_PRESETS, validateOpenAICompatibleKey } from './openai-compatible';
import type { KeyVerdict, ListedModel, ProviderConfig, ProviderKind } from './provider-config';

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

/** Provider ids that speak their own native API; every other known id is an OpenAI-compatible preset. */
const NATIVE_KINDS: Readonly<Record<string, ProviderKind>> = { anthropic: 'anthropic', google: 'gemini' };

/**
 * The config for a provider id the catalog knows (`openai`, `anthropic`, `google`, `openrouter`,
 * `groq`, …) and its key; `overrides` carry a base URL or Azure settings from the user's config.
 * Undefined for an id that is neither native nor a preset (a custom server needs a base URL and
 * an explicit config).
 */
export function providerConfigFor(id: string, apiKey: string | undefined, overrides: Partial<ProviderConfig> = {}): ProviderConfig | undefined {
  const kind = NATIVE_KINDS[id];
  if (kind) {
    return { id, kind, apiKey, ...overrides };
  }
  if (id in OPENAI_COMPATIBLE_PRESETS) {
    return { id, kind: 'openai-compatible', preset: id, apiKey, ...overrides };
  }
  return undefined;
}
