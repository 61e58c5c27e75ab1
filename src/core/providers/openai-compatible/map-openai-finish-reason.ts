import type { FinishReason } from '../../spec/finish-reason';

/**
 * `finish_reason` → ours. `function_call` is the deprecated spelling of a tool call; `error` is
 * OpenRouter's in-band failure. Anything else (`eos`, `end_turn` leaking through a proxy) is
 * kept raw as `other`.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 * @see https://openrouter.ai/docs/api/reference/overview#finish-reason
 */
export function mapOpenAIFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    case 'error':
      return { unified: 'error', raw };
    default:
      return { unified: 'other', raw: raw ?? undefined };
  }
}
