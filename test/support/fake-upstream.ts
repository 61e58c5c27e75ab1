/**
 * A provider stand-in on 127.0.0.1 that speaks recorded wire formats, for tests of our own code.
 * It replays SSE fixtures (one JSON object per line, see `readSseFixture`), answers JSON or error
 * bodies with any status, and can misbehave the way real upstreams do: split bytes anywhere
 * (CR/LF across chunks), stall, reset the socket, or send garbage. Every request is recorded
 * (method, path, headers, parsed body) for assertions on what we send.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One line of a fixture file. */
export type SseItem =
  | { data: unknown; event?: string } // `event: x` (optional) + `data: <JSON or string>`
  | { comment: string } // `: comment` keep-alive
  | { raw: string }; // bytes exactly as given (garbage, `data: [DONE]`, odd framing)

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body (non-streaming replies and error bodies). */
  json?: unknown;
  /** A raw text body. */
  text?: string;
  /** Server-sent events, written in order. */
  sse?: SseItem[];
  /** Write the SSE bytes in chunks of this many bytes (splits CR/LF and UTF-8 across chunks). */
  chunkSize?: number;
  /** Use CRLF line endings instead of LF. */
  crlf?: boolean;
  /** Pause between chunks (ms). */
  delayMs?: number;
  /** After this many SSE items, stop writing but keep the socket open. */
  stallAfter?: number;
  /** After this many SSE items, destroy the socket (a reset mid-stream). */
  resetAfter?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The request target as sent, query string included (`/v1/models?limit=1`). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
  /** Resolves when the connection this request came on closes (a client that gave up closes it). */
  connectionClosed: Promise<void>;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** Set the handler for `METHOD /path` (path without query). */
  on(route: string, handler: FakeHandler | FakeReply): void;
  /** Sockets currently open (to check that a cancelled request closed its connection). */
  openSockets(): number;
  /** Resolves when the next client connection closes. */
  nextClose(): Promise<void>;
  close(): Promise<void>;
}

export function renderSseItem(item: SseItem, crlf = false): string {
  const nl = crlf ? '\r\n' : '\n';
  if ('raw' in item) {
    return item.raw;
  }
  if ('comment' in item) {
    return `: ${item.comment}${nl}${nl}`;
  }
  const data = typeof item.data === 'string' ? item.data : JSON.stringify(item.data);
  return `${item.event ? `event: ${item.event}${nl}` : ''}data: ${data}${nl}${nl}`;
}

/** Reads a fixture: one JSON `SseItem` per line; blank lines and lines starting with `//` are skipped. */
export function readSseFixture(path: string): SseItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('//'))
    .map((line, index) => {
      try {
        return JSON.parse(line) as SseItem;
      } catch {
        throw new Error(`${path}:${index + 1}: not a JSON fixture line`);
      }
    });
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const routes = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  /** One promise per connection (keep-alive carries many requests): resolves when it closes. */
  const socketClosed = new WeakMap<Socket, Promise<void>>();
  let closeWaiters: Array<() => void> = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    let closed: () => void = () => undefined;
    socketClosed.set(socket, new Promise<void>((resolve) => (closed = resolve)));
    socket.on('close', () => {
      closed();
      sockets.delete(socket);
      const waiters = closeWaiters;
      closeWaiters = [];
      waiters.forEach((w) => w());
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown = rawBody;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      // keep the text: a test may assert on a non-JSON body
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const connectionClosed = socketClosed.get(req.socket) ?? Promise.resolve();
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, url: req.url ?? '/', headers: req.headers, rawBody, body, connectionClosed };
    requests.push(recorded);
    const handler = routes.get(`${recorded.method} ${path}`) ?? routes.get(`* ${path}`) ?? routes.get('*');
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake upstream: no route for ${recorded.method} ${path}` } }));
      return;
    }
    const reply = await handler(recorded);
    await writeReply(reply, res);
  }

  async function writeReply(reply: FakeReply, res: ServerResponse): Promise<void> {
    const status = reply.status ?? 200;
    if (reply.sse) {
      res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
      res.flushHeaders();
      for (const [index, item] of reply.sse.entries()) {
        if (reply.stallAfter !== undefined && index >= reply.stallAfter) {
          return; // keep the socket open, write nothing more
        }
        if (reply.resetAfter !== undefined && index >= reply.resetAfter) {
          res.socket?.destroy();
          return;
        }
        const bytes = Buffer.from(renderSseItem(item, reply.crlf), 'utf8');
        const size = reply.chunkSize ?? bytes.length;
        for (let offset = 0; offset < bytes.length; offset += size) {
          if (res.destroyed) {
            return;
          }
          res.write(bytes.subarray(offset, offset + size));
          if (reply.delayMs) {
            await sleep(reply.delayMs);
          }
        }
      }
      res.end();
      return;
    }
    const payload = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
    res.writeHead(status, { 'content-type': reply.json !== undefined ? 'application/json' : 'text/plain', ...reply.headers });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(route, handler) {
      routes.set(route, typeof handler === 'function' ? handler : () => handler);
    },
    openSockets: () => sockets.size,
    nextClose: () => new Promise<void>((resolve) => closeWaiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
