import { PerpetuoError } from '../../errors/perpetuo-error';
import type { ChatRequest } from '../../spec/chat-request';
import type { AnthropicOutputConfig, AnthropicThinking } from './anthropic-api';
import type { AnthropicModelTraits } from './resolve-anthropic-model-traits';

/**
 * `max_tokens` when the request sets none (Anthropic requires it). Room for a long code answer,
 * well under every current model's ceiling, and not so large that a pessimistic budget
 * reservation (input × price + max_tokens × output price) blocks ordinary requests.
 */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 16_384;

/** The API's floor for `budget_tokens`. */
const MIN_THINKING_BUDGET = 1_024;

/**
 * Thinking tokens allowed per effort level for models with manual extended thinking. Our own
 * mapping: `minimal` is the API floor, each step up roughly triples, and `high` stays below
 * the 32K mark above which Anthropic recommends batch processing.
 */
export const ANTHROPIC_THINKING_BUDGETS: Record<NonNullable<ChatRequest['reasoningEffort']>, number> = {
  minimal: MIN_THINKING_BUDGET,
  low: 4_096,
  medium: 12_288,
  high: 24_576,
};

export interface AnthropicReasoningSettings {
  max_tokens: number;
  thinking?: AnthropicThinking;
  effort?: NonNullable<AnthropicOutputConfig['effort']>;
}

/**
 * Maps `maxOutputTokens` and `reasoningEffort` to `max_tokens`, `thinking` and
 * `output_config.effort`.
 *
 * - No effort: `max_tokens` is the request's, or {@link DEFAULT_ANTHROPIC_MAX_TOKENS} capped to
 *   the model's ceiling; no `thinking` field, so the model's own default applies.
 * - Manual thinking (`budget` models): thinking tokens count toward `max_tokens`, and
 *   `budget_tokens` must be ≥ 1024 and < `max_tokens`. A request's `maxOutputTokens` stays the
 *   hard cap on everything billed as output; the budget is the effort's allowance, shrunk to leave
 *   1024 tokens for the answer but never below the floor. Without `maxOutputTokens`, `max_tokens`
 *   is the allowance plus the default answer room, capped to the model's ceiling.
 * - Adaptive thinking (4.6 and later): `thinking: {type: 'adaptive'}` and `output_config.effort`
 *   (`minimal` → `low`: the API has no lower level); `max_tokens` as above.
 * - A model without thinking (Claude 3.5 and older) cannot honour an effort: that is an error,
 *   not a silent downgrade.
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 * @see https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking
 * @see https://platform.claude.com/docs/en/build-with-claude/effort
 */
export function mapAnthropicReasoningEffort(
  request: Pick<ChatRequest, 'maxOutputTokens' | 'reasoningEffort'>,
  traits: AnthropicModelTraits,
  context: { provider: string; modelId: string },
): AnthropicReasoningSettings {
  const ceiling = traits.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const effort = request.reasoningEffort;
  if (effort === undefined) {
    return { max_tokens: request.maxOutputTokens ?? Math.min(ceiling, DEFAULT_ANTHROPIC_MAX_TOKENS) };
  }
  const allowance = ANTHROPIC_THINKING_BUDGETS[effort];
  const maxTokens = request.maxOutputTokens ?? Math.min(ceiling, allowance + DEFAULT_ANTHROPIC_MAX_TOKENS);
  switch (traits.thinking) {
    case 'none':
      throw new PerpetuoError({
        kind: 'invalid-request',
        ...context,
        message: `${context.modelId} has no extended thinking, so reasoning effort "${effort}" cannot be honoured on ${context.provider}.`,
      });
    case 'adaptive':
      return { max_tokens: maxTokens, thinking: { type: 'adaptive' }, effort: effort === 'minimal' ? 'low' : effort };
    case 'budget': {
      const budget = Math.max(MIN_THINKING_BUDGET, Math.min(allowance, maxTokens - MIN_THINKING_BUDGET));
      if (budget >= maxTokens) {
        throw new PerpetuoError({
          kind: 'invalid-request',
          ...context,
          message: `maxOutputTokens ${maxTokens} leaves no room for Anthropic's minimum thinking budget of ${MIN_THINKING_BUDGET} tokens plus an answer; raise it above ${MIN_THINKING_BUDGET} or drop the reasoning effort.`,
        });
      }
      return { max_tokens: maxTokens, thinking: { type: 'enabled', budget_tokens: budget } };
    }
  }
}
