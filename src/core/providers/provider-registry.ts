import { PerpetuoError } from '../errors/perpetuo-error';
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

/**
 * The driver for a kind of provider API. A kind outside `ProviderKind` (only code that skips the
 * config schemas can pass one) is a config error naming it and the kinds there are.
 */
export function driverFor(kind: ProviderKind): ProviderDriver {
  const driver: ProviderDriver | undefined = Object.hasOwn(DRIVERS, kind) ? DRIVERS[kind] : undefined;
  if (driver === undefined) {
    throw new PerpetuoError({ kind: 'config', message: `Unknown provider kind "${String(kind)}"; the kinds are ${Object.keys(DRIVERS).join(', ')}.`, isRetryable: false });
  }
  return driver;
}
