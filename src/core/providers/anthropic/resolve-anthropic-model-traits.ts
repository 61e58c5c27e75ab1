/** What the adapter must know about a model to build a valid request without asking the API. */
export interface AnthropicModelTraits {
  /** The documented ceiling of `max_tokens`; undefined for a model id we do not recognise. */
  maxOutputTokens: number | undefined;
  /**
   * How the model takes a reasoning request:
   * - `budget`: manual extended thinking, `thinking: {type: 'enabled', budget_tokens}` (Claude 3.7
   *   Sonnet to the 4.5 family);
   * - `adaptive`: `thinking: {type: 'adaptive'}` plus `output_config.effort` (Opus/Sonnet 4.6 and
   *   everything after; Opus 4.7 and later reject `budget_tokens` with a 400);
   * - `none`: no thinking at all (Claude 3.5 and older).
   */
  thinking: 'budget' | 'adaptive' | 'none';
}

// Ordered: the first pattern that matches wins. Dated snapshots (`-20250929`) and aliases match alike.
const TABLE: Array<[RegExp, AnthropicModelTraits]> = [
  [/^claude-3-haiku|^claude-3-opus|^claude-3-sonnet/, { maxOutputTokens: 4_096, thinking: 'none' }],
  [/^claude-3-5-/, { maxOutputTokens: 8_192, thinking: 'none' }],
  [/^claude-3-7-sonnet/, { maxOutputTokens: 64_000, thinking: 'budget' }],
  [/^claude-opus-4(?:-[01])?(?:-\d{8})?$/, { maxOutputTokens: 32_000, thinking: 'budget' }],
  [/^claude-sonnet-4(?:-0)?(?:-\d{8})?$/, { maxOutputTokens: 64_000, thinking: 'budget' }],
  [/^claude-(?:opus|sonnet|haiku)-4-5(?:-\d{8})?$/, { maxOutputTokens: 64_000, thinking: 'budget' }],
  // Opus/Sonnet 4.6 and later, Opus 5, Sonnet 5, Fable, Mythos: 128K output, adaptive thinking.
  [/^claude-/, { maxOutputTokens: 128_000, thinking: 'adaptive' }],
];

/**
 * Output ceiling and thinking style of a Claude model, from its id. An unrecognised id (a
 * proxy's alias, a fine-tune) gets no ceiling and adaptive thinking, the style of every model
 * released since Claude 4.6.
 * @see https://platform.claude.com/docs/en/about-claude/models/overview
 * @see https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
export function resolveAnthropicModelTraits(modelId: string): AnthropicModelTraits {
  for (const [pattern, traits] of TABLE) {
    if (pattern.test(modelId)) {
      return traits;
    }
  }
  return { maxOutputTokens: undefined, thinking: 'adaptive' };
}
