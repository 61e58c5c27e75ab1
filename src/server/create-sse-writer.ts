import { once } from 'node:events';
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
      if (!response.write(text)) {
        // Waiting on 'drain' alone would hang forever if the client vanished meanwhile.
        await Promise.race([once(response, 'drain'), once(response, 'close')]).catch(() => undefined);
      }
    },
    comment(text) {
      if (!isClosed()) {
        response.write(`: ${text}\n\n`);
      }
    },
    end() {
      if (!ended) {
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
