import type { ServedTarget } from '../core/engine/routed-call';
import type { FinishPart } from '../core/spec';
import type { AnswerBlock } from './collect-routed-call';
import { convertUsageToResponses } from './convert-usage-to-responses';
import { unwrapCustomToolInput } from './custom-tool-input';
import type { CompletionContext } from './encode-chat-completions-stream';

/** One output item of a response, as the Responses API shapes it. */
export type ResponseOutputItem = Record<string, unknown>;

export function messageItem(id: string, text: string, status: 'in_progress' | 'completed'): ResponseOutputItem {
  return { id, type: 'message', status, role: 'assistant', content: status === 'completed' ? [{ type: 'output_text', annotations: [], logprobs: [], text }] : [] };
}

export function reasoningItem(id: string, text: string): ResponseOutputItem {
  return { id, type: 'reasoning', summary: [], content: text === '' ? [] : [{ type: 'reasoning_text', text }] };
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: 'in_progress' | 'completed'): ResponseOutputItem {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args };
}

/** A call to a custom tool: its `input` is the free text the wrapped function's `input` carried. */
export function customToolCallItem(id: string, callId: string, name: string, input: string): ResponseOutputItem {
  return { id, type: 'custom_tool_call', call_id: callId, name, input };
}

/**
 * A generated image as the Responses API returns one: an `image_generation_call` item whose
 * `result` is the image base64, with its `output_format` (`png`, `jpeg`, `webp`).
 * @see https://platform.openai.com/docs/guides/tools-image-generation
 */
export function imageGenerationItem(id: string, mediaType: string, result: string | null, status: 'in_progress' | 'completed'): ResponseOutputItem {
  return { id, type: 'image_generation_call', status, result, output_format: mediaType.replace(/^image\//, '') };
}

/** `completed`, or `incomplete` with its reason, from how the model stopped. */
export function responseStatusFor(finish: FinishPart): { status: string; incomplete_details: { reason: string } | null } {
  switch (finish.finishReason.unified) {
    case 'length':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
    case 'content-filter':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
    default:
      return { status: 'completed', incomplete_details: null };
  }
}

/**
 * The response object, shared by the non-streaming body and the stream's lifecycle events.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function buildResponseObject(
  context: CompletionContext,
  served: ServedTarget | undefined,
  fields: { status: string; output: ResponseOutputItem[]; finish?: FinishPart; error?: { code: string; message: string } },
): Record<string, unknown> {
  const outcome = fields.finish === undefined ? { incomplete_details: null } : responseStatusFor(fields.finish);
  return {
    id: `resp_${context.id}`,
    object: 'response',
    created_at: context.created,
    model: served?.modelId ?? context.requestedModel,
    ...(served === undefined ? {} : { provider: served.provider }),
    output: fields.output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    temperature: null,
    top_p: null,
    metadata: {},
    instructions: null,
    ...outcome,
    status: fields.status,
    error: fields.error ?? null,
    ...(fields.finish === undefined ? {} : { usage: convertUsageToResponses(fields.finish.usage) }),
  };
}

/** A complete answer as a non-streaming Responses body. */
export function buildResponsesBody(
  context: CompletionContext,
  served: ServedTarget | undefined,
  blocks: AnswerBlock[],
  finish: FinishPart,
): Record<string, unknown> {
  // Anthropic's redacted thinking has no Responses item (encrypted_content is OpenAI's own).
  const output = blocks.flatMap((block, index): ResponseOutputItem[] => {
    if (block.type === 'reasoning' && block.redacted !== undefined) return [];
    // Anthropic's web search blocks: only /v1/messages declares the tool.
    if (block.type === 'provider-block') return [];
    return [itemFor(context, block, index)];
  });
  return buildResponseObject(context, served, { status: responseStatusFor(finish).status, output, finish });
}

function itemFor(context: CompletionContext, block: Exclude<AnswerBlock, { type: 'provider-block' }>, index: number): ResponseOutputItem {
  switch (block.type) {
    case 'text':
      return messageItem(`msg_${context.id}_${index}`, block.text, 'completed');
    case 'reasoning':
      return reasoningItem(`rs_${context.id}_${index}`, block.text);
    case 'tool-call':
      return context.customTools?.has(block.toolName) === true
        ? customToolCallItem(`ctc_${context.id}_${index}`, block.toolCallId, block.toolName, unwrapCustomToolInput(block.input))
        : functionCallItem(`fc_${context.id}_${index}`, block.toolCallId, block.toolName, block.input, 'completed');
    case 'image':
      return imageGenerationItem(`ig_${context.id}_${index}`, block.mediaType, block.data, 'completed');
    default: {
      const unreachable: never = block;
      throw new Error(`unhandled block ${JSON.stringify(unreachable)}`);
    }
  }
}
