export { createAnthropicChatModel } from './anthropic-chat-model';
export { listAnthropicModels } from './list-anthropic-models';
export { validateAnthropicKey } from './validate-anthropic-key';
export { mapAnthropicError, mapAnthropicErrorResponse } from './anthropic-error';
export { mapAnthropicStopReason } from './map-anthropic-stop-reason';
export { convertAnthropicUsage } from './convert-anthropic-usage';
export { DEFAULT_ANTHROPIC_MAX_TOKENS, ANTHROPIC_THINKING_BUDGETS } from './map-anthropic-reasoning-effort';
export { resolveAnthropicModelTraits, type AnthropicModelTraits } from './resolve-anthropic-model-traits';
