import type { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatStreamPart } from '../spec/chat-stream-part';
import { createJsonEventParser, type JsonEvent } from './create-json-event-parser';
import { handleFetchError } from './handle-fetch-error';
import { DEFAULT_IDLE_TIMEOUT_MS, type HttpOptions } from './http-options';
import { sendHttpRequest, type HttpRequestSpec, type HttpSuccess } from './send-http-request';

/**
 * Why the response body is destroyed when the stream is over (whatever its outcome) or stalled.
 * Strings, not Errors: Node's stream destroy reads an Error's `stack`, and formatting a stack on
 * every request costs more than the rest of the clean-up.
 */
const STREAM_OVER = 'stream over';
const STALLED = 'no bytes within the idle timeout';

/**
 * After the finish, how long the rest of the body (`data: [DONE]`, the chunked end) may take to
 * arrive, and how much of it is read, before the connection is closed instead of kept: providers
 * often send the end in a packet of its own, and a closed connection costs the next request a
 * new TCP and TLS handshake.
 */
const FINISHED_BODY_DRAIN_MS = 500;
const FINISHED_BODY_DRAIN_BYTES = 64 * 1024;

/**
 * Per-request state of one stream: created fresh for every call, so two concurrent streams on
 * one model instance never share anything.
 */
export interface EventStreamTransform<T> {
  /** Parts for one event. An `error` part ends the stream. */
  onEvent(event: JsonEvent<T>): ChatStreamPart[];
  /** Called once when the upstream closes: flush pending tool calls, emit the finish if due. */
  onEnd(): ChatStreamPart[];
}

export interface EventStreamCall<T> extends HttpRequestSpec {
  modelId: string;
  schema: z.ZodType<T>;
  createTransform: () => EventStreamTransform<T>;
}

/**
 * The one flow every streaming adapter shares: send, watch for stalls, parse SSE, transform,
 * and make sure the caller sees exactly one terminal part (`finish` or `error`). Faults never
 * throw out of here; they become an error part. Aborting `signal`, or the consumer stopping
 * early, closes the upstream request.
 *
 * One loop over the response body's chunks does all of it: the stall watchdog is a timer
 * refreshed per chunk and the SSE parser is fed synchronously, so a part costs one generator
 * step here rather than one per stage (a generator per stage cost promises and microtasks for
 * every chunk and event, on every request).
 */
export async function* runEventStreamCall<T>(call: EventStreamCall<T>, signal: AbortSignal, options: HttpOptions = {}): AsyncGenerator<ChatStreamPart> {
  const context = { provider: call.provider, modelId: call.modelId };
  let body: HttpSuccess['body'] | undefined;
  let chunks: AsyncIterator<Uint8Array> | undefined;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let idleFired = false;
  let terminal = false;
  let bodyEnded = false;
  try {
    if (signal.aborted) {
      yield errorPart(handleFetchError(signal.reason, { ...context, aborted: true }));
      return;
    }
    // The caller's signal goes to undici as it is: aborted, undici closes the request (and
    // destroys the body), so no controller of our own has to relay it.
    const response = await sendHttpRequest(call, signal, options);
    const opened = response.body;
    // The iterator first: it listens for the body's 'error', which a destroy with a reason emits.
    chunks = opened[Symbol.asyncIterator]();
    body = opened;
    // The clock starts at once, not at the first read: a server that sends headers, then nothing,
    // is stalled too (Bifrost #6472). Keep-alive comments are bytes, so a provider that says
    // "still processing" is not idle.
    idle = setTimeout(() => {
      idleFired = true;
      opened.destroy(STALLED);
    }, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    // An abandoned stream must not keep the process alive.
    idle.unref();
    const parser = createJsonEventParser(call.schema, context);
    const transform = call.createTransform();
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      idle.refresh();
      for (const event of parser.feed(next.value)) {
        for (const part of transform.onEvent(event)) {
          // Before the yield: a consumer that stops at the finish resumes this generator only to return.
          terminal ||= part.type === 'finish';
          yield part;
          if (part.type === 'error') {
            return;
          }
        }
      }
    }
    bodyEnded = true;
    clearTimeout(idle);
    for (const part of transform.onEnd()) {
      terminal ||= part.type === 'finish';
      yield part;
      if (part.type === 'error') {
        return;
      }
    }
    if (!terminal) {
      yield errorPart(
        new PerpetuoError({
          kind: 'malformed-response',
          ...context,
          message: `${call.provider} closed the stream without a finish reason: the answer may be cut short.`,
        }),
      );
    }
  } catch (error) {
    if (idleFired && !signal.aborted) {
      const seconds = (options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000;
      yield errorPart(new PerpetuoError({ kind: 'timeout', ...context, message: `${call.provider} sent nothing for ${seconds} s; the stream was closed.` }));
    } else {
      yield errorPart(handleFetchError(error, { ...context, aborted: signal.aborted }));
    }
  } finally {
    clearTimeout(idle);
    if (terminal && !bodyEnded && chunks !== undefined && body !== undefined && !body.destroyed && !signal.aborted) {
      // The answer is complete and the consumer stopped at its finish: read the little that is
      // left in the background, so that the connection goes back to the pool.
      void drainFinishedBody(chunks, body);
    } else {
      closeBody(chunks, body);
    }
  }
}

/**
 * Reads what follows the finish, discarding it, until the body ends (the connection is then
 * reused), or closes the body once it takes longer than `FINISHED_BODY_DRAIN_MS` or sends more
 * than `FINISHED_BODY_DRAIN_BYTES`. Nothing waits for it.
 */
async function drainFinishedBody(chunks: AsyncIterator<Uint8Array>, body: HttpSuccess['body']): Promise<void> {
  const deadline = setTimeout(() => closeBody(chunks, body), FINISHED_BODY_DRAIN_MS);
  deadline.unref();
  let bytes = 0;
  try {
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      bytes += next.value.byteLength;
      if (bytes > FINISHED_BODY_DRAIN_BYTES) {
        closeBody(chunks, body);
        return;
      }
    }
  } catch {
    // Closed by the deadline, or the server reset: either way the connection is not reused.
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * Destroyed before the body's iterator is closed: closing it first would destroy the body with no
 * reason, and undici then builds a RequestAbortedError, whose stack Node formats, on every request
 * that stops reading early. Destroying a body already read to its end changes nothing; one still
 * open aborts its request, which closes the connection.
 */
function closeBody(chunks: AsyncIterator<Uint8Array> | undefined, body: HttpSuccess['body'] | undefined): void {
  if (body !== undefined && !body.destroyed) {
    body.destroy(STREAM_OVER);
  }
  void chunks?.return?.()?.catch(() => undefined);
}

function errorPart(error: PerpetuoError): ChatStreamPart {
  return { type: 'error', error };
}
