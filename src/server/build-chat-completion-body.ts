import type { ServedTarget } from '../core/engine/routed-call';
import type { AnswerBlock } from './collect-routed-call';
import { convertUsageToOpenAI } from './convert-usage-to-openai';
import type { CompletionContext } from './encode-chat-completions-stream';
import { mapFinishReasonToOpenAI } from './map-finish-reason-to-openai';
import type { FinishPart } from '../core/spec';

/**
 * A generated image as OpenRouter returns it in `message.images[]` and `delta.images[]`: a
 * `data:` URL, the bytes base64.
 * @see https://openrouter.ai/docs/features/multimodal/image-generation
 */
export function imageUrlEntry(mediaType: string, data: string): Record<string, unknown> {
  return { type: 'image_url', image_url: { url: `data:${mediaType};base64,${data}` } };
}

/**
 * A complete answer as a non-streaming Chat Completions body; generated images ride in
 * `message.images[]` as OpenRouter puts them (OpenAI's Chat Completions has no image output).
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
  const images: Array<Record<string, unknown>> = [];
  for (const block of blocks) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'reasoning') reasoning += block.text;
    else if (block.type === 'image') images.push(imageUrlEntry(block.mediaType, block.data));
    else if (block.type === 'tool-call') toolCalls.push({ id: block.toolCallId, type: 'function', function: { name: block.toolName, arguments: block.input } });
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
          ...(images.length === 0 ? {} : { images }),
        },
        logprobs: null,
        finish_reason: mapFinishReasonToOpenAI(finish.finishReason),
      },
    ],
    usage: convertUsageToOpenAI(finish.usage, finish.reportedCostUsd),
  };
}
