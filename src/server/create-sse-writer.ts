import type { ServerResponse } from 'node:http';

/** One server-sent event: an optional `event:` name and a JSON (or literal, e.g. `[DONE]`) `data:` line. */
export interface SseFrame {
  event?: string;
  data: string;
}

/** The endpoint's one SSE writer. */
export interface SseWriter {
  /** Writes frames in one socket write; resolves when the socket can take more (backpressure). */
  write(frames: readonly SseFrame[]): Promise<void>;
  /** A `: comment` line: ignored by every SSE parser, it keeps idle proxies and clients from timing out. */
  comment(text: string): void;
  /** Ends the response; a no-op once closed. */
  end(): void;
  /** True once the client went away or `end()` was called: nothing more is written. */
  readonly closed: boolean;
}

/**
 * Serialises frames onto a committed response and stops for good when `signal` aborts (the
 * client disconnected), so that nothing is ever written to a dead socket. JSON text never holds
 * a raw newline, so one `data:` line per frame is always well-formed.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export function createSseWriter(response: ServerResponse, signal: AbortSignal): SseWriter {
  let ended = false;
  let corked = false;
  const uncork = (): void => {
    if (corked) {
      corked = false;
      response.uncork();
    }
  };
  const isClosed = (): boolean => ended || signal.aborted || response.destroyed;
  return {
    async write(frames) {
      if (isClosed() || frames.length === 0) {
        return;
      }
      let text = '';
      for (const frame of frames) {
        text += frame.event === undefined ? `data: ${frame.data}\n\n` : `event: ${frame.event}\ndata: ${frame.data}\n\n`;
      }
      if (!corked) {
        // Parts that arrive in one burst (one upstream read) leave in one socket write.
        corked = true;
        response.cork();
        setImmediate(uncork);
      }
      if (!response.write(text)) {
        uncork();
        // Waiting on 'drain' alone would hang forever if the client vanished meanwhile.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            response.off('drain', done);
            response.off('close', done);
            resolve();
          };
          response.on('drain', done);
          response.on('close', done);
        });
      }
    },
    comment(text) {
      if (!isClosed()) {
        uncork();
        response.write(`: ${text}\n\n`);
      }
    },
    end() {
      if (!ended) {
        uncork();
        ended = true;
        if (!response.destroyed) {
          response.end();
        }
      }
    },
    get closed() {
      return isClosed();
    },
  };
}
