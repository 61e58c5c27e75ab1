import type { FinishReason } from '../core/spec';

/**
 * Chat Completions' `finish_reason` words; `error` is OpenRouter's, for an answer that broke.
 * @see https://openrouter.ai/docs/api-reference/overview#finish-reason
 */
export function mapFinishReasonToOpenAI(reason: FinishReason): string {
  switch (reason.unified) {
    case 'stop':
    case 'other':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default: {
      const unreachable: never = reason.unified;
      return String(unreachable);
    }
  }
}
