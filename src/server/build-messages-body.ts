import type { ServedTarget } from '../core/engine/routed-call';
import type { FinishPart } from '../core/spec';
import type { AnswerBlock } from './collect-routed-call';
import { convertUsageToAnthropic } from './convert-usage-to-anthropic';
import type { CompletionContext } from './encode-chat-completions-stream';
import { mapFinishReasonToAnthropic } from './map-finish-reason-to-anthropic';

/** Tool input is JSON text in core and an object on Anthropic's wire. */
function parseInput(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return { _raw: text };
  }
}

/**
 * What stands in a Messages answer for an image the model produced: the Messages API has no
 * image content block for assistant output, so the answer says so instead of dropping it silently.
 */
export function imageOmittedNote(mediaType: string): string {
  return `[The model produced an image (${mediaType}), which the Messages API cannot carry; ask /v1/chat/completions or /v1/responses for images.]`;
}

/**
 * A complete answer as a non-streaming Anthropic Messages body.
 * @see https://docs.anthropic.com/en/api/messages
 */
export function buildMessagesBody(
  context: CompletionContext,
  served: ServedTarget | undefined,
  blocks: AnswerBlock[],
  finish: FinishPart,
): Record<string, unknown> {
  return {
    id: `msg_${context.id}`,
    type: 'message',
    role: 'assistant',
    model: served?.modelId ?? context.requestedModel,
    content: blocks.map((block): Record<string, unknown> => {
      switch (block.type) {
        case 'text':
          return block.citations === undefined ? { type: 'text', text: block.text } : { type: 'text', text: block.text, citations: block.citations };
        case 'reasoning':
          return block.redacted !== undefined
            ? { type: 'redacted_thinking', data: block.redacted }
            : { type: 'thinking', thinking: block.text, signature: block.signature ?? '' };
        case 'tool-call':
          return { type: 'tool_use', id: block.toolCallId, name: block.toolName, input: parseInput(block.input) };
        case 'image':
          return { type: 'text', text: imageOmittedNote(block.mediaType) };
        case 'provider-block':
          // Only Anthropic serves a request that can produce one, and the client sends it back as it came.
          return block.block;
        default: {
          const unreachable: never = block;
          throw new Error(`unhandled block ${JSON.stringify(unreachable)}`);
        }
      }
    }),
    stop_reason: mapFinishReasonToAnthropic(finish.finishReason),
    stop_sequence: null,
    usage: convertUsageToAnthropic(finish.usage),
  };
}
