import { PerpetuoError } from '../../errors/perpetuo-error';
import type { EventStreamTransform } from '../../http/run-event-stream-call';
import type { ChatStreamPart, ResponseMetadataPart } from '../../spec/chat-stream-part';
import { type AnthropicStreamEvent, type AnthropicUsage, isAnthropicServerBlock } from './anthropic-api';
import { mapAnthropicError } from './anthropic-error';
import { convertAnthropicUsage } from './convert-anthropic-usage';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason';

/** An open content block, by its `index` in the final message. */
type OpenBlock =
  | { kind: 'text' }
  | { kind: 'reasoning'; signature: string | undefined }
  | { kind: 'tool'; id: string; name: string; json: string }
  // server_tool_use, web_search_tool_result, …: kept whole for the caller to send back; a server
  // tool's input arrives in input_json_delta like ours, but is never a call for the caller to run.
  | { kind: 'server'; block: { type: string; [field: string]: unknown }; json: string }
  // redacted_thinking (sent whole at its start) and block types added later.
  | { kind: 'ignored' };

/**
 * Turns the events of one streamed Message into our stream parts. Created per request by
 * `createTransform()`: every piece of state below belongs to one stream.
 *
 * - `message_start` → `response-metadata` (id, served model), held back until the first part
 *   that is not an error; its usage is the input side.
 * - Text and thinking deltas pass through as they come; a thinking block's `signature_delta`
 *   is held and sent on `content_block_stop`, as a `reasoning-delta` with an empty delta.
 * - A `tool_use` block becomes `tool-call-start`, one `tool-call-delta` per non-empty
 *   `input_json_delta`, and on its stop a `tool-call` with the whole JSON text (`{}` if none).
 * - A server tool's blocks (`server_tool_use`, `web_search_tool_result`, …) become one
 *   `provider-block` each on their stop, whole, the input filled in from its deltas; a
 *   `citations_delta` becomes a `citation`, and from then on text parts name their block, so
 *   that cited and uncited stretches stay apart.
 * - `message_delta` usage is cumulative: the latest value replaces, never adds.
 * - `message_stop` → `finish`. Without it the stream is incomplete, and the shared flow reports
 *   that as an error; an unfinished tool call is not flushed as if it were whole.
 * - `event: error` (`overloaded_error` in a 200 stream) → one `error` part, mapped like an HTTP
 *   error; before any content it is the first and only part, so a router can still fall back.
 * - `ping` and unknown event or delta types are ignored, as the versioning policy asks.
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
export function createAnthropicStreamTransform(context: { provider: string; modelId: string }): EventStreamTransform<AnthropicStreamEvent> {
  const blocks = new Map<number, OpenBlock>();
  let startUsage: AnthropicUsage | undefined;
  let deltaUsage: AnthropicUsage | undefined;
  let stopReason: string | null | undefined;
  let sawThinking = false;
  // Once a source is cited, text parts say which block they belong to (see TextDeltaPart.blockIndex).
  let cites = false;
  let finished = false;
  let metadata: ResponseMetadataPart | undefined;

  function onEvent(value: AnthropicStreamEvent): ChatStreamPart[] {
    switch (value.type) {
      case 'message_start': {
        startUsage = value.message.usage ?? undefined;
        metadata = {
          type: 'response-metadata',
          ...(value.message.id ? { id: value.message.id } : {}),
          ...(value.message.model ? { modelId: value.message.model } : {}),
        };
        return [];
      }
      case 'content_block_start':
        return startBlock(value.index, value.content_block);
      case 'content_block_delta':
        return blockDelta(value.index, value.delta);
      case 'content_block_stop':
        return stopBlock(value.index);
      case 'message_delta':
        stopReason = value.delta.stop_reason ?? stopReason;
        if (value.usage) {
          deltaUsage = { ...deltaUsage, ...definedFields(value.usage) };
        }
        return [];
      case 'message_stop':
        finished = true;
        return [
          {
            type: 'finish',
            finishReason: mapAnthropicStopReason(stopReason),
            usage: convertAnthropicUsage(startUsage, deltaUsage, { sawThinking }),
          },
        ];
      case 'error':
        return [
          {
            type: 'error',
            error: mapAnthropicError(
              { type: value.error.type, message: value.error.message, detailCode: value.error.details?.error_code ?? undefined, responseBody: JSON.stringify(value) },
              context,
            ),
          },
        ];
      case 'ping':
      case 'other_event':
        // Keep-alives, and event types added after this adapter was written.
        return [];
      default: {
        const unreachable: never = value;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  function startBlock(index: number, block: { type: string; id?: string; name?: string; text?: string; input?: unknown; data?: string; [field: string]: unknown }): ChatStreamPart[] {
    switch (block.type) {
      case 'text':
        blocks.set(index, { kind: 'text' });
        return block.text ? [textDelta(index, block.text)] : [];
      case 'thinking':
        sawThinking = true;
        blocks.set(index, { kind: 'reasoning', signature: undefined });
        return [];
      case 'tool_use': {
        const id = block.id ?? `toolu_${index}`;
        const name = block.name ?? '';
        // Streamed tool_use blocks open with `input: {}` and fill it through deltas; a non-empty
        // start input (not documented for streams, but cheap to honour) seeds the JSON text.
        const seeded = isNonEmptyObject(block.input) ? JSON.stringify(block.input) : '';
        blocks.set(index, { kind: 'tool', id, name, json: seeded });
        return [{ type: 'tool-call-start', toolCallId: id, toolName: name }];
      }
      case 'redacted_thinking':
        // Whole at the start; the caller keeps it to send back with the turn.
        sawThinking = true;
        blocks.set(index, { kind: 'ignored' });
        return block.data === undefined ? [] : [{ type: 'reasoning-delta', delta: '', redacted: block.data }];
      default:
        blocks.set(index, isAnthropicServerBlock(block) ? { kind: 'server', block: { ...block }, json: '' } : { kind: 'ignored' });
        return [];
    }
  }

  function blockDelta(index: number, delta: AnthropicBlockDelta): ChatStreamPart[] {
    const block = blocks.get(index);
    if (block === undefined) {
      // Content for a block that was never opened: dropping it would cut the answer silently.
      return [
        {
          type: 'error',
          error: new PerpetuoError({
            kind: 'malformed-response',
            ...context,
            message: `${context.provider} sent a content_block_delta for block ${index}, which was never started.`,
          }),
        },
      ];
    }
    if (block.kind === 'ignored') {
      return [];
    }
    switch (delta.type) {
      case 'text_delta':
        return block.kind === 'text' && delta.text !== '' ? [textDelta(index, delta.text)] : [];
      case 'thinking_delta':
        return block.kind === 'reasoning' && delta.thinking !== '' ? [{ type: 'reasoning-delta', delta: delta.thinking }] : [];
      case 'signature_delta':
        if (block.kind === 'reasoning') {
          block.signature = (block.signature ?? '') + delta.signature;
        }
        return [];
      case 'input_json_delta':
        if (block.kind === 'server') {
          block.json += delta.partial_json;
          return [];
        }
        if (block.kind === 'tool' && delta.partial_json !== '') {
          block.json += delta.partial_json;
          return [{ type: 'tool-call-delta', toolCallId: block.id, argumentsDelta: delta.partial_json }];
        }
        return [];
      case 'citations_delta':
        if (block.kind !== 'text') return [];
        cites = true;
        return [{ type: 'citation', citation: delta.citation, blockIndex: index }];
      case 'other_delta':
        // Later additions: nothing our parts carry.
        return [];
      default: {
        const unreachable: never = delta;
        throw new Error(`unknown delta ${JSON.stringify(unreachable)}`);
      }
    }
  }

  function stopBlock(index: number): ChatStreamPart[] {
    const block = blocks.get(index);
    blocks.delete(index);
    if (block?.kind === 'tool') {
      return [{ type: 'tool-call', toolCallId: block.id, toolName: block.name, input: block.json.trim() === '' ? '{}' : block.json }];
    }
    if (block?.kind === 'reasoning' && block.signature !== undefined) {
      return [{ type: 'reasoning-delta', delta: '', signature: block.signature }];
    }
    if (block?.kind === 'server') {
      return [serverBlockPart(index, block)];
    }
    return [];
  }

  function textDelta(index: number, text: string): ChatStreamPart {
    return cites ? { type: 'text-delta', delta: text, blockIndex: index } : { type: 'text-delta', delta: text };
  }

  function serverBlockPart(index: number, open: Extract<OpenBlock, { kind: 'server' }>): ChatStreamPart {
    if (open.json.trim() === '') {
      return { type: 'provider-block', api: 'anthropic', block: open.block };
    }
    try {
      return { type: 'provider-block', api: 'anthropic', block: { ...open.block, input: JSON.parse(open.json) as unknown } };
    } catch {
      // The block goes back to Anthropic with the next turn: half an input would be refused there.
      return {
        type: 'error',
        error: new PerpetuoError({
          kind: 'malformed-response',
          ...context,
          message: `${context.provider} sent a ${open.block.type} block (${index}) whose input is not JSON.`,
        }),
      };
    }
  }

  return {
    onEvent(event) {
      switch (event.type) {
        case 'invalid':
          return [{ type: 'error', error: event.error }];
        case 'done':
          // Not part of Anthropic's protocol; a proxy's `[DONE]` adds nothing to message_stop.
          return [];
        case 'data': {
          if (finished) {
            return [];
          }
          const parts = onEvent(event.value);
          // An overloaded_error right after message_start must reach the router as the first and
          // only part, so the metadata waits for real output (or the finish).
          if (metadata === undefined || parts.length === 0 || parts[0]?.type === 'error') {
            return parts;
          }
          const first = metadata;
          metadata = undefined;
          return [first, ...parts];
        }
        default: {
          const unreachable: never = event;
          throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
        }
      }
    },
    onEnd() {
      // Nothing to flush: a block still open here was cut off, and the missing finish already
      // tells the caller the answer is incomplete.
      return [];
    },
  };
}

type AnthropicBlockDelta = Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta'];

function definedFields(usage: AnthropicUsage): AnthropicUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined && value !== null)) as AnthropicUsage;
}

function isNonEmptyObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
