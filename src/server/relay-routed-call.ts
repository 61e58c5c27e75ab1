import type { ServerResponse } from 'node:http';
import type { RoutedCall, ServedTarget } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors';
import { isContentPart, type ChatStreamPart, type ErrorPart } from '../core/spec';
import { buildPerpetuoHeaders } from './build-perpetuo-headers';
import { createSseWriter, type SseFrame } from './create-sse-writer';
import { mapErrorToHttp, type HttpError } from './map-error-to-http';
import type { ApiDialect } from './render-error-body';
import { sendErrorResponse } from './send-error-response';

/** Turns our stream parts into one API's SSE frames. Holds that API's per-request state. */
export interface StreamEncoder {
  /** Lifecycle frames that open the stream (`message_start`, `response.created`, a role delta). */
  open(served: ServedTarget | undefined): SseFrame[];
  /** Frames for one part; for `finish`, the clean terminator too (`[DONE]`, `message_stop`). */
  encode(part: Exclude<ChatStreamPart, ErrorPart>): SseFrame[];
  /** In-band error frames after the commit point; no clean terminator follows them. */
  fail(error: HttpError): SseFrame[];
}

export interface RelayInput {
  call: RoutedCall;
  response: ServerResponse;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  dialect: ApiDialect;
  encoder: StreamEncoder;
  /** Interval of `: keep-alive` comments during silences after the commit point; 0 turns them off. */
  keepAliveMs: number;
  /** The endpoint's own time before `engine.route()`, for `x-perpetuo-overhead-ms`. */
  endpointMs: number;
  /** Headers every response carries (CORS for an allowed origin). */
  headers: Record<string, string>;
}

export type RelayOutcome =
  | { kind: 'completed'; parts: number }
  | { kind: 'rejected'; status: number; errorType: string }
  | { kind: 'failed-in-band'; errorType: string; parts: number }
  | { kind: 'cancelled'; parts: number };

const ABORTED = Symbol('aborted');

/**
 * Relays a routed call as a server-sent event stream without ever lying about its outcome.
 *
 * Until the first content part, nothing is written: lifecycle parts are held back, so an error
 * (every fallback failed, a budget blocked) still gets a real HTTP status and a JSON error body
 * (LiteLLM #38610 answered 200 + `message_start` + error). The first content part commits the
 * response: headers go out naming the target that served. After that, an error goes out in-band
 * in the API's shape and the stream ends without its clean terminator (Portkey #1797 ended a cut
 * stream with a clean 200). A client disconnect aborts the engine call at once.
 *
 * Keep-alive comments are written only after the commit point: before it, writing anything would
 * commit a 200 that the call may not earn.
 */
export async function relayRoutedCall(input: RelayInput): Promise<RelayOutcome> {
  const { call, response, signal, encoder } = input;
  const iterator = call.stream[Symbol.asyncIterator]();
  // One pending read at a time, settled by the part or by the abort, whichever comes first: an
  // engine that ignored the signal must not keep the relay (and the client's slot) waiting. (A
  // Promise.race per part would pile one reaction per part onto a shared abort promise.)
  let settlePending: ((value: typeof ABORTED) => void) | undefined;
  const onAbort = (): void => settlePending?.(ABORTED);
  signal.addEventListener('abort', onAbort, { once: true });
  const nextPart = (): Promise<IteratorResult<ChatStreamPart> | typeof ABORTED> =>
    signal.aborted
      ? Promise.resolve(ABORTED)
      : new Promise((resolve, reject) => {
          settlePending = resolve;
          iterator.next().then(resolve, reject);
        });
  const writer = createSseWriter(response, signal);
  const held: ChatStreamPart[] = [];
  let committed = false;
  let parts = 0;
  let wroteSinceTick = false;
  let keepAlive: NodeJS.Timeout | undefined;

  const commit = async (): Promise<void> => {
    committed = true;
    response.writeHead(200, {
      ...input.headers,
      ...buildPerpetuoHeaders(call, input.endpointMs),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    const frames = encoder.open(call.served());
    for (const part of held.splice(0)) {
      if (part.type !== 'error') {
        frames.push(...encoder.encode(part));
      }
    }
    await writer.write(frames);
    if (input.keepAliveMs > 0) {
      keepAlive = setInterval(() => {
        if (!wroteSinceTick) {
          writer.comment('keep-alive');
        }
        wroteSinceTick = false;
      }, input.keepAliveMs);
      keepAlive.unref();
    }
  };

  const failInBand = async (error: unknown): Promise<RelayOutcome> => {
    const mapped = mapErrorToHttp(error);
    await writer.write(encoder.fail(mapped));
    return { kind: 'failed-in-band', errorType: mapped.errorType, parts };
  };

  try {
    for (;;) {
      const next = await nextPart();
      if (next === ABORTED) {
        return { kind: 'cancelled', parts };
      }
      if (next.done) {
        // The engine promises a finish or an error; a stream that just stops is a fault, not an answer.
        const error = new PerpetuoError({ kind: 'malformed-response', message: 'The answer ended without a finish.' });
        if (!committed) {
          const mapped = sendErrorResponse(response, input.dialect, error, { ...input.headers, ...buildPerpetuoHeaders(call, input.endpointMs) }, call.id);
          return { kind: 'rejected', status: mapped.status, errorType: mapped.errorType };
        }
        return await failInBand(error);
      }
      const part = next.value;
      parts += 1;
      if (part.type === 'error') {
        if (part.error.kind === 'cancelled' && signal.aborted) {
          return { kind: 'cancelled', parts };
        }
        if (!committed) {
          const mapped = sendErrorResponse(response, input.dialect, part.error, { ...input.headers, ...buildPerpetuoHeaders(call, input.endpointMs) }, call.id);
          return { kind: 'rejected', status: mapped.status, errorType: mapped.errorType };
        }
        return await failInBand(part.error);
      }
      if (!committed) {
        held.push(part);
        if (isContentPart(part) || part.type === 'finish') {
          await commit();
        }
      } else {
        wroteSinceTick = true;
        await writer.write(encoder.encode(part));
      }
      if (part.type === 'finish') {
        return { kind: 'completed', parts };
      }
    }
  } catch (error) {
    // A throwing engine is a bug in core, but the client must still learn that the answer broke.
    if (!committed) {
      const mapped = sendErrorResponse(response, input.dialect, error, input.headers, call.id);
      return { kind: 'rejected', status: mapped.status, errorType: mapped.errorType };
    }
    return await failInBand(error);
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (keepAlive !== undefined) {
      clearInterval(keepAlive);
    }
    writer.end();
    // Not awaited: an async generator's return() queues behind a pending next(), which an
    // engine that ignores the abort might never settle.
    void iterator.return?.()?.catch?.(() => undefined);
  }
}
