import type { ServedTarget } from '../core/engine/routed-call';
import { imageOmittedNote } from './build-messages-body';
import { convertUsageToAnthropic } from './convert-usage-to-anthropic';
import type { SseFrame } from './create-sse-writer';
import type { CompletionContext } from './encode-chat-completions-stream';
import { mapFinishReasonToAnthropic } from './map-finish-reason-to-anthropic';
import type { StreamEncoder } from './relay-routed-call';

type OpenBlock = { kind: 'text'; blockIndex?: number } | { kind: 'thinking' } | { kind: 'whole' } | { kind: 'tool'; toolCallId: string; sentInput: boolean };

const frame = (event: string, data: Record<string, unknown>): SseFrame => ({ event, data: JSON.stringify({ type: event, ...data }) });

/**
 * Anthropic Messages events: `message_start`, then per block `content_block_start` / `_delta` /
 * `_stop`, then `message_delta` with the stop reason and cumulative usage, then `message_stop`.
 * Input token counts are only known at the end, so `message_start` carries zeros and the real
 * counts come in `message_delta` (whose usage is cumulative: clients take its values, not sums).
 * A broken answer ends with `event: error` and no `message_stop`.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export function createMessagesEncoder(context: CompletionContext): StreamEncoder {
  let open: OpenBlock | undefined;
  let index = -1;
  const streamedToolCalls = new Set<string>();
  const close = (): SseFrame[] => {
    if (open === undefined) return [];
    open = undefined;
    return [frame('content_block_stop', { index })];
  };
  const start = (block: OpenBlock, contentBlock: Record<string, unknown>): SseFrame[] => {
    const frames = close();
    index += 1;
    open = block;
    frames.push(frame('content_block_start', { index, content_block: contentBlock }));
    return frames;
  };
  const delta = (body: Record<string, unknown>): SseFrame => frame('content_block_delta', { index, delta: body });
  return {
    open(served: ServedTarget | undefined) {
      return [
        frame('message_start', {
          message: {
            id: `msg_${context.id}`,
            type: 'message',
            role: 'assistant',
            model: served?.modelId ?? context.requestedModel,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        }),
      ];
    },
    encode(part) {
      switch (part.type) {
        case 'response-metadata':
          return [];
        case 'file': {
          const frames = start({ kind: 'text' }, { type: 'text', text: '' });
          frames.push(delta({ type: 'text_delta', text: imageOmittedNote(part.mediaType) }), ...close());
          return frames;
        }
        case 'text-delta': {
          const frames = open?.kind === 'text' && open.blockIndex === part.blockIndex ? [] : start({ kind: 'text', blockIndex: part.blockIndex }, { type: 'text', text: '' });
          frames.push(delta({ type: 'text_delta', text: part.delta }));
          return frames;
        }
        case 'citation': {
          // As Anthropic streams them: a cited block opens with its citations, then its text.
          const frames = open?.kind === 'text' && open.blockIndex === part.blockIndex ? [] : start({ kind: 'text', blockIndex: part.blockIndex }, { type: 'text', text: '', citations: [] });
          frames.push(delta({ type: 'citations_delta', citation: part.citation }));
          return frames;
        }
        case 'provider-block': {
          if (part.api !== 'anthropic') return [];
          // Whole blocks, sent as Anthropic sends them: a server tool's input through one delta.
          const { block } = part;
          if (block.type !== 'server_tool_use') return [...start({ kind: 'whole' }, block), ...close()];
          const frames = start({ kind: 'whole' }, { ...block, input: {} });
          frames.push(delta({ type: 'input_json_delta', partial_json: JSON.stringify(block['input'] ?? {}) }), ...close());
          return frames;
        }
        case 'reasoning-delta': {
          if (part.redacted !== undefined) return [...start({ kind: 'whole' }, { type: 'redacted_thinking', data: part.redacted }), ...close()];
          const frames = open?.kind === 'thinking' ? [] : start({ kind: 'thinking' }, { type: 'thinking', thinking: '', signature: '' });
          if (part.delta !== '') frames.push(delta({ type: 'thinking_delta', thinking: part.delta }));
          if (part.signature !== undefined) frames.push(delta({ type: 'signature_delta', signature: part.signature }));
          return frames;
        }
        case 'tool-call-start':
          streamedToolCalls.add(part.toolCallId);
          return start({ kind: 'tool', toolCallId: part.toolCallId, sentInput: false }, { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: {} });
        case 'tool-call-delta': {
          if (open?.kind !== 'tool' || open.toolCallId !== part.toolCallId) return [];
          open.sentInput = true;
          return [delta({ type: 'input_json_delta', partial_json: part.argumentsDelta })];
        }
        case 'tool-call': {
          const frames: SseFrame[] = [];
          if (open?.kind !== 'tool' || open.toolCallId !== part.toolCallId) {
            // Parallel calls stream one block each and complete together at the end: a call whose
            // block was streamed (and closed when the next began) has already sent its input.
            if (streamedToolCalls.has(part.toolCallId)) return [];
            frames.push(...start({ kind: 'tool', toolCallId: part.toolCallId, sentInput: false }, { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: {} }));
          }
          if (open?.kind === 'tool' && !open.sentInput) {
            frames.push(delta({ type: 'input_json_delta', partial_json: part.input }));
          }
          frames.push(...close());
          return frames;
        }
        case 'finish':
          return [
            ...close(),
            frame('message_delta', {
              delta: { stop_reason: mapFinishReasonToAnthropic(part.finishReason), stop_sequence: null },
              usage: convertUsageToAnthropic(part.usage),
            }),
            frame('message_stop', {}),
          ];
        default: {
          const unreachable: never = part;
          throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
        }
      }
    },
    fail(error) {
      return [frame('error', { error: { type: error.anthropicType, message: error.message } })];
    },
  };
}
