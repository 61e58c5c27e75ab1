import type { FinishReason } from '../core/spec';

const ANTHROPIC_STOP_REASONS = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal']);

/**
 * Anthropic's `stop_reason`. When an Anthropic model served, its own word is kept (it tells
 * `stop_sequence` from `end_turn`, which our unified reason folds together).
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapFinishReasonToAnthropic(reason: FinishReason): string {
  if (reason.raw !== undefined && ANTHROPIC_STOP_REASONS.has(reason.raw)) {
    return reason.raw;
  }
  switch (reason.unified) {
    case 'stop':
    case 'other':
    case 'error':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default: {
      const unreachable: never = reason.unified;
      return String(unreachable);
    }
  }
}
