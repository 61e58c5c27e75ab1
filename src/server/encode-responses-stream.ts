import type { ServedTarget } from '../core/engine/routed-call';
import { unwrapCustomToolInput } from './custom-tool-input';
import { buildResponseObject, customToolCallItem, functionCallItem, imageGenerationItem, messageItem, reasoningItem, responseStatusFor, type ResponseOutputItem } from './build-responses-body';
import type { SseFrame } from './create-sse-writer';
import type { CompletionContext } from './encode-chat-completions-stream';
import type { StreamEncoder } from './relay-routed-call';

type OpenItem =
  | { kind: 'message'; id: string; outputIndex: number; text: string }
  | { kind: 'reasoning'; id: string; outputIndex: number; text: string }
  | { kind: 'function'; id: string; outputIndex: number; callId: string; name: string; args: string; sentArgs: boolean }
  /** A custom tool's call: its arguments are `{"input": …}` JSON, so the text is sent whole once they are complete. */
  | { kind: 'custom'; id: string; outputIndex: number; callId: string; name: string; args: string };

/**
 * Responses API streaming events with their sequence numbers: `response.created` and
 * `response.in_progress`, then per output item `response.output_item.added`, its content
 * events (`response.content_part.added`, `response.output_text.delta`,
 * `response.function_call_arguments.delta`, `response.custom_tool_call_input.*`,
 * `response.image_generation_call.*`, …) and
 * `response.output_item.done`, then
 * `response.completed` (or `response.incomplete`). A broken answer ends with `error` and
 * `response.failed`, never `response.completed`.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export function createResponsesEncoder(context: CompletionContext): StreamEncoder {
  let sequence = 0;
  let served: ServedTarget | undefined;
  let open: OpenItem | undefined;
  const done: ResponseOutputItem[] = [];
  const event = (type: string, data: Record<string, unknown>): SseFrame => ({
    event: type,
    data: JSON.stringify({ type, sequence_number: sequence++, ...data }),
  });
  const close = (): SseFrame[] => {
    const item = open;
    if (item === undefined) return [];
    open = undefined;
    const at = { item_id: item.id, output_index: item.outputIndex };
    let finished: ResponseOutputItem;
    const frames: SseFrame[] = [];
    if (item.kind === 'message') {
      const part = { type: 'output_text', annotations: [], logprobs: [], text: item.text };
      frames.push(event('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] }));
      frames.push(event('response.content_part.done', { ...at, content_index: 0, part }));
      finished = messageItem(item.id, item.text, 'completed');
    } else if (item.kind === 'reasoning') {
      frames.push(event('response.reasoning_text.done', { ...at, content_index: 0, text: item.text }));
      frames.push(event('response.content_part.done', { ...at, content_index: 0, part: { type: 'reasoning_text', text: item.text } }));
      finished = reasoningItem(item.id, item.text);
    } else if (item.kind === 'custom') {
      const input = unwrapCustomToolInput(item.args);
      frames.push(event('response.custom_tool_call_input.delta', { ...at, delta: input }));
      frames.push(event('response.custom_tool_call_input.done', { ...at, input }));
      finished = customToolCallItem(item.id, item.callId, item.name, input);
    } else {
      frames.push(event('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.args }));
      finished = functionCallItem(item.id, item.callId, item.name, item.args, 'completed');
    }
    frames.push(event('response.output_item.done', { output_index: item.outputIndex, item: finished }));
    done.push(finished);
    return frames;
  };
  const begin = (item: OpenItem, added: ResponseOutputItem, part?: Record<string, unknown>): SseFrame[] => {
    const frames = close();
    open = item;
    frames.push(event('response.output_item.added', { output_index: item.outputIndex, item: added }));
    if (part !== undefined) {
      frames.push(event('response.content_part.added', { item_id: item.id, output_index: item.outputIndex, content_index: 0, part }));
    }
    return frames;
  };
  const nextIndex = (): number => done.length + (open === undefined ? 0 : 1);
  const beginCall = (callId: string, name: string): SseFrame[] => {
    const index = nextIndex();
    if (context.customTools?.has(name) === true) {
      const id = `ctc_${context.id}_${index}`;
      return begin({ kind: 'custom', id, outputIndex: index, callId, name, args: '' }, customToolCallItem(id, callId, name, ''));
    }
    const id = `fc_${context.id}_${index}`;
    return begin({ kind: 'function', id, outputIndex: index, callId, name, args: '', sentArgs: false }, functionCallItem(id, callId, name, '', 'in_progress'));
  };
  return {
    open(target) {
      served = target;
      const response = buildResponseObject(context, served, { status: 'in_progress', output: [] });
      return [event('response.created', { response }), event('response.in_progress', { response })];
    },
    encode(part) {
      switch (part.type) {
        case 'response-metadata':
          return [];
        case 'file': {
          // Images arrive whole, so the item's lifecycle is told at once: added (in progress),
          // in_progress, generating, completed, then done with the image in `result`.
          const frames = close();
          const index = nextIndex();
          const id = `ig_${context.id}_${index}`;
          const at = { item_id: id, output_index: index };
          frames.push(event('response.output_item.added', { output_index: index, item: imageGenerationItem(id, part.mediaType, null, 'in_progress') }));
          frames.push(event('response.image_generation_call.in_progress', at));
          frames.push(event('response.image_generation_call.generating', at));
          frames.push(event('response.image_generation_call.completed', at));
          const finished = imageGenerationItem(id, part.mediaType, part.data, 'completed');
          frames.push(event('response.output_item.done', { output_index: index, item: finished }));
          done.push(finished);
          return frames;
        }
        case 'text-delta': {
          const frames: SseFrame[] = [];
          if (open?.kind !== 'message') {
            const index = nextIndex();
            const id = `msg_${context.id}_${index}`;
            frames.push(...begin({ kind: 'message', id, outputIndex: index, text: '' }, messageItem(id, '', 'in_progress'), { type: 'output_text', annotations: [], logprobs: [], text: '' }));
          }
          const item = open as Extract<OpenItem, { kind: 'message' }>;
          item.text += part.delta;
          frames.push(event('response.output_text.delta', { item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: part.delta, logprobs: [] }));
          return frames;
        }
        case 'reasoning-delta': {
          // Anthropic's redacted thinking has no Responses item (encrypted_content is OpenAI's own).
          if (part.redacted !== undefined) return [];
          const frames: SseFrame[] = [];
          if (open?.kind !== 'reasoning') {
            const index = nextIndex();
            const id = `rs_${context.id}_${index}`;
            frames.push(...begin({ kind: 'reasoning', id, outputIndex: index, text: '' }, reasoningItem(id, ''), { type: 'reasoning_text', text: '' }));
          }
          const item = open as Extract<OpenItem, { kind: 'reasoning' }>;
          item.text += part.delta;
          if (part.delta !== '') {
            frames.push(event('response.reasoning_text.delta', { item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: part.delta }));
          }
          return frames;
        }
        case 'tool-call-start':
          return beginCall(part.toolCallId, part.toolName);
        case 'tool-call-delta': {
          if ((open?.kind !== 'function' && open?.kind !== 'custom') || open.callId !== part.toolCallId) return [];
          open.args += part.argumentsDelta;
          if (open.kind === 'custom') return [];
          open.sentArgs = true;
          return [event('response.function_call_arguments.delta', { item_id: open.id, output_index: open.outputIndex, delta: part.argumentsDelta })];
        }
        case 'tool-call': {
          const frames: SseFrame[] = [];
          if ((open?.kind !== 'function' && open?.kind !== 'custom') || open.callId !== part.toolCallId) {
            // Parallel calls stream one item each and complete together at the end: a call whose
            // item was streamed (and done when the next began) has already sent its arguments.
            if (done.some((item) => item.call_id === part.toolCallId)) return [];
            frames.push(...beginCall(part.toolCallId, part.toolName));
          }
          const item = open as unknown as Extract<OpenItem, { kind: 'function' | 'custom' }>;
          if (item.kind === 'function' && !item.sentArgs) {
            frames.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index: item.outputIndex, delta: part.input }));
          }
          item.args = part.input;
          frames.push(...close());
          return frames;
        }
        case 'provider-block':
        case 'citation':
          // Anthropic's web search and its citations: only /v1/messages declares the tool.
          return [];
        case 'finish': {
          const frames = close();
          const { status } = responseStatusFor(part);
          const response = buildResponseObject(context, served, { status, output: done, finish: part });
          frames.push(event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response }));
          return frames;
        }
        default: {
          const unreachable: never = part;
          throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
        }
      }
    },
    fail(error) {
      const failure = { code: error.errorType, message: error.message };
      return [
        event('error', { ...failure, param: null }),
        event('response.failed', { response: buildResponseObject(context, served, { status: 'failed', output: done, error: failure }) }),
      ];
    },
  };
}
