import type { ChatRequest } from '../../spec/chat-request';
import type { GeminiThinkingConfig } from './gemini-api';

type Effort = NonNullable<ChatRequest['reasoningEffort']>;

// Gemini 2.5 takes a token budget. These sit inside every 2.5 model's range (Pro 128–32768,
// Flash 0–24576, Flash-Lite 512–24576), so no model refuses them.
const BUDGETS: Record<Effort, number> = { minimal: 512, low: 1024, medium: 8192, high: 24576 };

/**
 * Reasoning effort as Gemini's `thinkingConfig`, with `includeThoughts: true` so thought summaries
 * stream as reasoning. Gemini 3 and later take a `thinkingLevel`; Gemini 2.5 a `thinkingBudget`;
 * the API refuses both in one request, so the model id decides. Pro models do not offer
 * `minimal`, which becomes `low` there. Gemini 1.x and 2.0 do not think: no config is sent.
 * `providerOptions.gemini.generationConfig.thinkingConfig` replaces this mapping entirely.
 * @see https://ai.google.dev/gemini-api/docs/thinking
 * @see https://ai.google.dev/api/generate-content#ThinkingConfig
 */
export function mapGeminiThinkingConfig(effort: ChatRequest['reasoningEffort'], modelId: string): GeminiThinkingConfig | undefined {
  if (effort === undefined) {
    return undefined;
  }
  const model = modelId.replace(/^models\//, '');
  if (/^gemini-(?:1\.|2\.0)/.test(model)) {
    return undefined;
  }
  if (/^gemini-2\./.test(model)) {
    return { includeThoughts: true, thinkingBudget: BUDGETS[effort] };
  }
  const level = effort === 'minimal' && /-pro\b/.test(model) ? 'low' : effort;
  return { includeThoughts: true, thinkingLevel: level };
}
