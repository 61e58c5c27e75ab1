import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';

/** One server-sent event, parsed and validated, or the raw text of one that failed. */
export type JsonEvent<T> =
  | { type: 'data'; event: string | undefined; value: T; raw: string }
  | { type: 'invalid'; event: string | undefined; raw: string; error: PerpetuoError }
  /** OpenAI-style `data: [DONE]` terminator. */
  | { type: 'done' };

/** Larger than any sane event; a hostile or broken upstream cannot make us buffer without bound. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * bytes → text → SSE events → JSON → schema. Comments (`: OPENROUTER PROCESSING`), CR/LF split
 * across network chunks and a BOM are the parser's job (eventsource-parser); a chunk that is not
 * JSON or fails its schema becomes an `invalid` event carrying the raw text, never a crash or a
 * silent drop.
 */
export function parseJsonEventStream<T>(
  body: ReadableStream<Uint8Array>,
  schema: z.ZodType<T>,
  context: { provider: string; modelId?: string },
): ReadableStream<JsonEvent<T>> {
  return body
    // The DOM typings want BufferSource in; undici hands us Uint8Array, which is one.
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream({ maxBufferSize: MAX_EVENT_CHARS }))
    .pipeThrough(
      new TransformStream({
        transform(message, controller) {
          const raw = message.data;
          if (raw.trim() === '[DONE]') {
            controller.enqueue({ type: 'done' });
            return;
          }
          const invalid = (reason: string) =>
            controller.enqueue({
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
            invalid('not JSON');
            return;
          }
          const parsed = schema.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            invalid(issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema');
            return;
          }
          controller.enqueue({ type: 'data', event: message.event, value: parsed.data, raw });
        },
      }),
    );
}
