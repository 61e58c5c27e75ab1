import type { RoutedCall } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors';
import type { ChatStreamPart, FinishPart, ProviderApi, ProviderBlock, ResponseMetadataPart } from '../core/spec';

/** One piece of a complete answer, in the order the model produced it. */
export type AnswerBlock =
  /** `citations`: the sources this stretch of text cites, as the provider sent them; `blockIndex`: see `TextDeltaPart`. */
  | { type: 'text'; text: string; citations?: ProviderBlock[]; blockIndex?: number }
  /** `redacted`: an Anthropic redacted_thinking block (encrypted, no text), a block of its own. */
  | { type: 'reasoning'; text: string; signature?: string; redacted?: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: string }
  /** A generated image, whole: bytes base64 as the model sent them. */
  | { type: 'image'; mediaType: string; data: string }
  /** A block only its API understands (Anthropic's web search and its results), whole. */
  | { type: 'provider-block'; api: ProviderApi; block: ProviderBlock };

export type CollectedAnswer =
  | { kind: 'answer'; blocks: AnswerBlock[]; finish: FinishPart; metadata: ResponseMetadataPart | undefined }
  /** `partial` is true when content had been produced before the error (the ledger bills it). */
  | { kind: 'error'; error: PerpetuoError; partial: boolean }
  | { kind: 'cancelled' };

/**
 * Drains a routed call into one complete answer, for the non-streaming form of each API.
 * Nothing has been sent to the client while this runs, so any error — before or after content —
 * is answered with a real status; a partial answer is not passed off as a whole one.
 *
 * It returns at the finish (or the error) without waiting for the engine to wind down: the budget
 * settlement and the ledger line are written after the answer has gone out (`call.settled`).
 */
export async function collectRoutedCall(call: RoutedCall, signal: AbortSignal): Promise<CollectedAnswer> {
  const iterator = call.stream[Symbol.asyncIterator]();
  try {
    return await collectParts(iterator, signal);
  } finally {
    // Not awaited: closing the engine's stream settles and records the call, which the client need not wait for.
    void iterator.return?.()?.catch?.(() => undefined);
  }
}

async function collectParts(iterator: AsyncIterator<ChatStreamPart>, signal: AbortSignal): Promise<CollectedAnswer> {
  const blocks: AnswerBlock[] = [];
  const toolCalls = new Map<string, { type: 'tool-call'; toolCallId: string; toolName: string; input: string }>();
  let metadata: ResponseMetadataPart | undefined;
  let partial = false;
  const last = (): AnswerBlock | undefined => blocks[blocks.length - 1];
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    const part = next.value;
    if (signal.aborted) {
      return { kind: 'cancelled' };
    }
    switch (part.type) {
      case 'file':
        partial = true;
        blocks.push({ type: 'image', mediaType: part.mediaType, data: part.data });
        break;
      case 'response-metadata':
        metadata = part;
        break;
      case 'text-delta': {
        partial = true;
        const block = last();
        if (block?.type === 'text' && block.blockIndex === part.blockIndex) {
          block.text += part.delta;
        } else {
          blocks.push(part.blockIndex === undefined ? { type: 'text', text: part.delta } : { type: 'text', text: part.delta, blockIndex: part.blockIndex });
        }
        break;
      }
      case 'citation': {
        partial = true;
        const block = last();
        if (block?.type === 'text' && block.blockIndex === part.blockIndex) {
          (block.citations ??= []).push(part.citation);
        } else {
          blocks.push({ type: 'text', text: '', citations: [part.citation], blockIndex: part.blockIndex });
        }
        break;
      }
      case 'provider-block':
        partial = true;
        blocks.push({ type: 'provider-block', api: part.api, block: part.block });
        break;
      case 'reasoning-delta': {
        partial = true;
        const block = last();
        if (part.redacted !== undefined) {
          blocks.push({ type: 'reasoning', text: '', redacted: part.redacted });
        } else if (block?.type === 'reasoning' && block.signature === undefined && block.redacted === undefined) {
          block.text += part.delta;
          if (part.signature !== undefined) {
            block.signature = part.signature;
          }
        } else {
          blocks.push({ type: 'reasoning', text: part.delta, ...(part.signature === undefined ? {} : { signature: part.signature }) });
        }
        break;
      }
      case 'tool-call-start': {
        partial = true;
        const block = { type: 'tool-call' as const, toolCallId: part.toolCallId, toolName: part.toolName, input: '' };
        toolCalls.set(part.toolCallId, block);
        blocks.push(block);
        break;
      }
      case 'tool-call-delta': {
        const block = toolCalls.get(part.toolCallId);
        if (block !== undefined) {
          block.input += part.argumentsDelta;
        }
        break;
      }
      case 'tool-call': {
        partial = true;
        // The complete call is authoritative over the deltas seen before it.
        const block = toolCalls.get(part.toolCallId);
        if (block !== undefined) {
          block.input = part.input;
          block.toolName = part.toolName;
        } else {
          blocks.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
        }
        break;
      }
      case 'finish':
        return { kind: 'answer', blocks, finish: part, metadata };
      case 'error':
        if (part.error.kind === 'cancelled' && signal.aborted) {
          return { kind: 'cancelled' };
        }
        return { kind: 'error', error: part.error, partial };
      default: {
        const unreachable: never = part;
        throw new Error(`unhandled part ${JSON.stringify(unreachable)}`);
      }
    }
  }
  if (signal.aborted) {
    return { kind: 'cancelled' };
  }
  return {
    kind: 'error',
    error: new PerpetuoError({ kind: 'malformed-response', message: 'The answer ended without a finish.' }),
    partial,
  };
}
