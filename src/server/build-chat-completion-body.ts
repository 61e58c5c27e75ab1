import type { ServedTarget } from '../core/engine/routed-call';
import type { AnswerBlock } from './collect-routed-call';
import { convertUsageToOpenAI } from './convert-usage-to-openai';
import type { CompletionContext } from './encode-chat-completions-stream';
import { mapFinishReasonToOpenAI } from './map-finish-reason-to-openai';
import type { FinishPart } from '../core/spec';

/**
 * A complete answer as a non-streaming Chat Completions body.
 * @see https://platform.openai.com/docs/api-reference/chat/object
 */
export function buildChatCompletionBody(
  context: CompletionContext,
  served: ServedTarget | undefined,
  blocks: AnswerBlock[],
  finish: FinishPart,
): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: Array<Record<string, unknown>> = [];
  for (const block of blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'reasoning') reasoning += block.text;
    else toolCalls.push({ id: block.toolCallId, type: 'function', function: { name: block.toolName, arguments: block.input } });
  }
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: served?.modelId ?? context.requestedModel,
    ...(served === undefined ? {} : { provider: served.provider }),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(reasoning === '' ? {} : { reasoning }),
          ...(toolCalls.length === 0 ? {} : { tool_calls: toolCalls }),
        },
        logprobs: null,
        finish_reason: mapFinishReasonToOpenAI(finish.finishReason),
      },
    ],
    usage: convertUsageToOpenAI(finish.usage, finish.reportedCostUsd),
  };
}
