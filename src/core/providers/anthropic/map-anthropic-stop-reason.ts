import type { FinishReason } from '../../spec/finish-reason';

/**
 * Anthropic's `stop_reason` in our words, the raw value kept beside it.
 * - `pause_turn`: a server tool loop paused a long turn; the caller may continue it, so `other`.
 * - `refusal`: the streaming classifiers stopped the answer, so `content-filter`.
 * - `model_context_window_exceeded`: the answer ran into the context window, so `length`.
 * @see https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  const raw = stopReason ?? undefined;
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool-calls', raw };
    case 'refusal':
      return { unified: 'content-filter', raw };
    default:
      return { unified: 'other', raw };
  }
}
