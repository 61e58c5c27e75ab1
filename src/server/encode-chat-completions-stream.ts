import type { ServedTarget } from '../core/engine/routed-call';
import { imageUrlEntry } from './build-chat-completion-body';
import { convertUsageToOpenAI } from './convert-usage-to-openai';
import type { SseFrame } from './create-sse-writer';
import { mapFinishReasonToOpenAI } from './map-finish-reason-to-openai';
import type { StreamEncoder } from './relay-routed-call';

/** What every chunk of one answer repeats. */
export interface CompletionContext {
  /** The decision id, which is also the completion id: the dashboard finds the request by it. */
  id: string;
  /** Unix seconds. */
  created: number;
  /** What the client asked for: named in chunks only until a target has served. */
  requestedModel: string;
  /** Responses custom tools by name (see `EndpointRequest.customTools`). */
  customTools?: ReadonlySet<string>;
}

/**
 * Chat Completions chunks, OpenRouter-flavoured: `model` and `provider` name the target that
 * served, usage rides on the final chunk with the finish reason (OpenRouter always sends usage,
 * `stream_options.include_usage` or not), generated images come whole in `delta.images[]`
 * (OpenRouter's image generation), and a broken answer ends with an error chunk and
 * `finish_reason: "error"` and no `[DONE]`.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 * @see https://openrouter.ai/docs/api-reference/streaming#stream-cancellation
 */
export function createChatCompletionsEncoder(context: CompletionContext): StreamEncoder {
  let model = context.requestedModel;
  let provider: string | undefined;
  const tools = new Map<string, { index: number; sentArguments: boolean }>();
  const chunk = (choice: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): SseFrame => ({
    data: JSON.stringify({
      id: context.id,
      object: 'chat.completion.chunk',
      created: context.created,
      model,
      ...(provider === undefined ? {} : { provider }),
      choices: choice === undefined ? [] : [{ index: 0, logprobs: null, finish_reason: null, ...choice }],
      ...extra,
    }),
  });
  // Text deltas are nearly every chunk of an answer: their JSON is a fixed frame around the
  // delta, built once per model/provider instead of stringifying a fresh object per delta.
  let textFrame: [string, string] | undefined;
  const textChunk = (delta: string): SseFrame => {
    textFrame ??= chunk({ delta: { content: '\u0000' } }).data.split('"\\u0000"') as [string, string];
    return { data: textFrame[0] + JSON.stringify(delta) + textFrame[1] };
  };
  const toolFor = (id: string): { index: number; sentArguments: boolean; isNew: boolean } => {
    const known = tools.get(id);
    if (known) return { ...known, isNew: false };
    const created = { index: tools.size, sentArguments: false };
    tools.set(id, created);
    return { ...created, isNew: true };
  };
  return {
    open(served: ServedTarget | undefined) {
      if (served) {
        model = served.modelId;
        provider = served.provider;
      }
      textFrame = undefined;
      return [chunk({ delta: { role: 'assistant', content: '' } })];
    },
    encode(part) {
      switch (part.type) {
        case 'response-metadata':
          return [];
        case 'file':
          return [chunk({ delta: { images: [imageUrlEntry(part.mediaType, part.data)] } })];
        case 'text-delta':
          return [textChunk(part.delta)];
        case 'reasoning-delta':
          // Anthropic's redacted thinking is encrypted: nothing to show as reasoning text.
          return part.redacted !== undefined ? [] : [chunk({ delta: { reasoning: part.delta } })];
        case 'tool-call-start': {
          const tool = toolFor(part.toolCallId);
          return [chunk({ delta: { tool_calls: [{ index: tool.index, id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: '' } }] } })];
        }
        case 'tool-call-delta': {
          const tool = toolFor(part.toolCallId);
          tools.set(part.toolCallId, { index: tool.index, sentArguments: true });
          return [chunk({ delta: { tool_calls: [{ index: tool.index, function: { arguments: part.argumentsDelta } }] } })];
        }
        case 'tool-call': {
          // A provider that sends calls whole (no deltas) still reaches the client complete.
          const tool = toolFor(part.toolCallId);
          if (tool.isNew) {
            return [chunk({ delta: { tool_calls: [{ index: tool.index, id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: part.input } }] } })];
          }
          if (!tool.sentArguments) {
            return [chunk({ delta: { tool_calls: [{ index: tool.index, function: { arguments: part.input } }] } })];
          }
          return [];
        }
        case 'provider-block':
        case 'citation':
          // Anthropic's web search and its citations: only /v1/messages declares the tool.
          return [];
        case 'finish':
          return [
            chunk({ delta: {}, finish_reason: mapFinishReasonToOpenAI(part.finishReason) }, { usage: convertUsageToOpenAI(part.usage, part.reportedCostUsd) }),
            { data: '[DONE]' },
          ];
        default: {
          const unreachable: never = part;
          throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
        }
      }
    },
    fail(error) {
      return [
        chunk(
          { delta: { content: '' }, finish_reason: 'error' },
          {
            error: {
              code: error.errorType,
              message: error.message,
              metadata: { error_type: error.errorType, ...(error.provider === undefined ? {} : { provider_name: error.provider }) },
            },
          },
        ),
      ];
    },
  };
}
