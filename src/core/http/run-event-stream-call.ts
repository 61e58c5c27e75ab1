import type { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatStreamPart } from '../spec/chat-stream-part';
import { handleFetchError } from './handle-fetch-error';
import { DEFAULT_IDLE_TIMEOUT_MS, type HttpOptions } from './http-options';
import { parseJsonEventStream, type JsonEvent } from './parse-json-event-stream';
import { sendHttpRequest, type HttpRequestSpec } from './send-http-request';
import { withIdleTimeout } from './with-idle-timeout';

/** Why the upstream request is closed once the stream is over, whatever its outcome. */
const STREAM_OVER = 'stream over';

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
 */
export async function* runEventStreamCall<T>(call: EventStreamCall<T>, signal: AbortSignal, options: HttpOptions = {}): AsyncGenerator<ChatStreamPart> {
  const upstream = new AbortController();
  const forwardAbort = () => upstream.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  let idleFired = false;
  let disarm = () => {};
  const context = { provider: call.provider, modelId: call.modelId };
  try {
    if (signal.aborted) {
      yield errorPart(handleFetchError(signal.reason, { ...context, aborted: true }));
      return;
    }
    const response = await sendHttpRequest(call, upstream.signal, options);
    const watched = withIdleTimeoutFor(response.body, options, () => {
      idleFired = true;
      upstream.abort();
    });
    disarm = watched.stop;
    const transform = call.createTransform();
    let terminal = false;
    for await (const value of parseJsonEventStream(watched.stream, call.schema, context)) {
      for (const part of transform.onEvent(value)) {
        yield part;
        if (part.type === 'error') {
          return;
        }
        terminal ||= part.type === 'finish';
      }
    }
    for (const part of transform.onEnd()) {
      yield part;
      if (part.type === 'error') {
        return;
      }
      terminal ||= part.type === 'finish';
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
    disarm();
    signal.removeEventListener('abort', forwardAbort);
    // Usually aborted already by the caller's signal (the attempt is over). Otherwise a string
    // reason: `abort()` would build a DOMException, and the HTTP client then formats its stack
    // when it destroys the response body, on every request.
    if (!upstream.signal.aborted) {
      upstream.abort(STREAM_OVER);
    }
  }
}

function withIdleTimeoutFor(body: AsyncIterable<Uint8Array>, options: HttpOptions, onIdle: () => void) {
  return withIdleTimeout(body, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, onIdle);
}

function errorPart(error: PerpetuoError): ChatStreamPart {
  return { type: 'error', error };
}
