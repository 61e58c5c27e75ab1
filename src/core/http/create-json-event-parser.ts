import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';

/** One server-sent event, parsed and validated, or the raw text of one that failed. */
export type JsonEvent<T> =
  | { type: 'data'; event: string | undefined; value: T; raw: string }
  | { type: 'invalid'; event: string | undefined; raw: string; error: PerpetuoError }
  /** OpenAI-style `data: [DONE]` terminator. */
  | { type: 'done' };

/** Turns the bytes of one event stream into its events, chunk by chunk as they arrive. */
export interface JsonEventParser<T> {
  /**
   * The events completed by this chunk, in order (often none: an event may span chunks).
   * Throws when one event grows past the size limit.
   */
  feed(chunk: Uint8Array): Array<JsonEvent<T>>;
}

/** Larger than any sane event; a hostile or broken upstream cannot make us buffer without bound. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * bytes → text → SSE events → JSON → schema, for one stream (create one per request: it holds
 * the partial event and the UTF-8 decoder state). Comments (`: OPENROUTER PROCESSING`), CR/LF
 * split across network chunks and a BOM are the parser's job (eventsource-parser); a chunk that
 * is not JSON or fails its schema becomes an `invalid` event carrying the raw text, never a crash
 * or a silent drop.
 *
 * A push parser called from the reader's own loop (runEventStreamCall), not a generator or a
 * chain of web streams (TextDecoderStream → EventSourceParserStream → TransformStream): each
 * stage of either costs promises and microtasks per chunk, all of it before the first token.
 * The parsing itself is the same library's.
 */
export function createJsonEventParser<T>(schema: z.ZodType<T>, context: { provider: string; modelId?: string }): JsonEventParser<T> {
  let events: Array<JsonEvent<T>> = [];
  let overflow: Error | undefined;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (message) => events.push(toJsonEvent(message, schema, context)),
    // Unknown fields and bad `retry:` lines are ignored, as EventSource does; only an event past
    // the size limit ends the stream (as EventSourceParserStream errors its stream).
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') {
        overflow = error;
      }
    },
  });
  const decoder = new TextDecoder();
  return {
    feed(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (overflow !== undefined) {
        throw overflow;
      }
      const completed = events;
      events = [];
      return completed;
    },
  };
}

function toJsonEvent<T>(message: EventSourceMessage, schema: z.ZodType<T>, context: { provider: string; modelId?: string }): JsonEvent<T> {
  const raw = message.data;
  if (raw.trim() === '[DONE]') {
    return { type: 'done' };
  }
  const invalid = (reason: string): JsonEvent<T> => ({
    type: 'invalid',
    event: message.event,
    raw,
    error: new PerpetuoError({
      kind: 'malformed-response',
      provider: context.provider,
      modelId: context.modelId,
      message: `${context.provider} sent a malformed stream chunk (${reason}): ${raw.slice(0, 200)}`,
      responseBody: raw,
    }),
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return invalid('not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema');
  }
  return { type: 'data', event: message.event, value: parsed.data, raw };
}
