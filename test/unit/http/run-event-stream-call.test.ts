import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { z } from 'zod';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import { runEventStreamCall, type EventStreamCall } from '../../../src/core/http/run-event-stream-call';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { emptyUsage } from '../../../src/core/spec/usage';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

const chunkSchema = z.object({ text: z.string().optional(), end: z.boolean().optional() });

function textCall(url: string): EventStreamCall<z.infer<typeof chunkSchema>> {
  return {
    method: 'POST',
    url: `${url}/stream`,
    headers: { authorization: 'Bearer sk-test-abcdefghijklmnopqrstuvwxyz' },
    body: { hello: 'world' },
    provider: 'fake',
    modelId: 'm',
    schema: chunkSchema,
    mapErrorResponse: (r) => new PerpetuoError({ kind: r.status === 429 ? 'rate-limit' : 'server', provider: 'fake', statusCode: r.status, message: `HTTP ${r.status}: ${r.bodyText}` }),
    createTransform: () => {
      return {
        onEvent: (event) => {
          if (event.type === 'invalid') {
            return [{ type: 'error', error: event.error }];
          }
          if (event.type === 'done') {
            return [];
          }
          if (event.value.end) {
            return [{ type: 'finish', finishReason: { unified: 'stop', raw: 'end' }, usage: emptyUsage() }];
          }
          return event.value.text === undefined ? [] : [{ type: 'text-delta', delta: event.value.text }];
        },
        onEnd: () => [],
      };
    },
  };
}

function withinMs<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) {
    out.push(part);
  }
  return out;
}

describe('runEventStreamCall', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  it('reassembles events split across network chunks at every byte, with CRLF and comments', async () => {
    upstream.on('POST /stream', {
      sse: [{ comment: 'OPENROUTER PROCESSING' }, { data: { text: 'héllo ' } }, { data: { text: 'wörld' } }, { data: { end: true } }, { raw: 'data: [DONE]\r\n\r\n' }],
      chunkSize: 1,
      crlf: true,
    });
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal));
    assert.deepEqual(
      parts.map((p) => (p.type === 'text-delta' ? p.delta : p.type)),
      ['héllo ', 'wörld', 'finish'],
    );
    assert.deepEqual(upstream.requests[0]?.body, { hello: 'world' });
  });

  it('turns a malformed chunk into an error part carrying the raw text', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { raw: 'data: {not json\n\n' }, { data: { end: true } }] });
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal));
    const last = parts.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last?.type === 'error' && last.error.kind, 'malformed-response');
    assert.match(last?.type === 'error' ? (last.error.responseBody ?? '') : '', /\{not json/);
  });

  it('reports a stream that ends without a finish as an error', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'cut' } }] });
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal));
    const last = parts.at(-1);
    assert.equal(last?.type === 'error' && last.error.kind, 'malformed-response');
    assert.match(last?.type === 'error' ? last.error.message : '', /without a finish/);
  });

  it('maps an HTTP error status through the adapter mapper, with the key redacted', async () => {
    upstream.on('POST /stream', { status: 429, json: { error: 'slow down, key sk-test-abcdefghijklmnopqrstuvwxyz' } });
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal));
    assert.equal(parts.length, 1);
    const error = parts[0]?.type === 'error' ? parts[0].error : undefined;
    assert.equal(error?.kind, 'rate-limit');
    assert.equal(error?.isRetryable, true);
    assert.doesNotMatch(JSON.stringify(error) + String(error?.message) + String(error?.stack), /abcdefghijklmnop/);
  });

  it('ends a stalled stream with a timeout error and closes the connection', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { text: 'b' } }], stallAfter: 1 });
    const closed = upstream.nextClose();
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal, { idleTimeoutMs: 100 }));
    assert.equal(parts.at(-1)?.type === 'error' && parts.at(-1)?.type, 'error');
    const error = parts.at(-1)?.type === 'error' ? (parts.at(-1) as { error: PerpetuoError }).error : undefined;
    assert.equal(error?.kind, 'timeout');
    await closed;
  });

  it('turns a socket reset mid-stream into a network error part', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { text: 'b' } }], resetAfter: 1 });
    const parts = await collect(runEventStreamCall(textCall(upstream.url), new AbortController().signal));
    const error = parts.at(-1)?.type === 'error' ? (parts.at(-1) as { error: PerpetuoError }).error : undefined;
    assert.ok(error && ['network', 'malformed-response'].includes(error.kind), `got ${error?.kind}`);
  });

  it('closes the upstream connection when the caller aborts', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { text: 'b' } }], stallAfter: 1 });
    const controller = new AbortController();
    const closed = upstream.nextClose();
    const parts: ChatStreamPart[] = [];
    for await (const part of runEventStreamCall(textCall(upstream.url), controller.signal)) {
      parts.push(part);
      if (part.type === 'text-delta') {
        controller.abort();
      }
    }
    await closed;
    assert.equal(parts.at(-1)?.type === 'error' && (parts.at(-1) as { error: PerpetuoError }).error.kind, 'cancelled');
  });

  it('closes the upstream connection when the consumer stops at a finish the server sends more after', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { end: true } }, { data: { text: 'trailing' } }], stallAfter: 2 });
    const closed = upstream.nextClose();
    const seen: string[] = [];
    for await (const part of runEventStreamCall(textCall(upstream.url), new AbortController().signal)) {
      seen.push(part.type);
      if (part.type === 'finish') {
        break;
      }
    }
    assert.deepEqual(seen, ['text-delta', 'finish']);
    await withinMs(2_000, closed, 'the open body was not closed');
  });

  it('keeps the connection for the next call when the consumer stops at the finish of a complete body', async () => {
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { end: true } }, { raw: 'data: [DONE]\n\n' }] });
    const dispatcher = new Agent();
    try {
      for (let call = 0; call < 2; call++) {
        for await (const part of runEventStreamCall(textCall(upstream.url), new AbortController().signal, { dispatcher })) {
          if (part.type === 'finish') {
            // Time for the rest of the body to arrive unread, as it does when a client stops at the finish.
            await new Promise((resolve) => setTimeout(resolve, 30));
            break;
          }
        }
      }
      let firstClosed = false;
      void upstream.requests[0]?.connectionClosed.then(() => (firstClosed = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(upstream.requests.length, 2);
      assert.equal(firstClosed, false);
      assert.equal(upstream.openSockets(), 1);
    } finally {
      await dispatcher.close();
    }
  });

  it('keeps the connection when the consumer stops at the finish and the body ends a little later', async () => {
    // The end of the body ([DONE], then the chunked terminator) arrives 60 ms after the finish, as
    // real providers often send it: in a packet of its own.
    upstream.on('POST /stream', { sse: [{ data: { text: 'a' } }, { data: { end: true } }, { raw: 'data: [DONE]\n\n' }], delayMs: 60 });
    const dispatcher = new Agent();
    try {
      for (let call = 0; call < 2; call++) {
        for await (const part of runEventStreamCall(textCall(upstream.url), new AbortController().signal, { dispatcher })) {
          if (part.type === 'finish') {
            break;
          }
        }
        // The body's end arrives meanwhile and is read in the background.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      let firstClosed = false;
      void upstream.requests[0]?.connectionClosed.then(() => (firstClosed = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(upstream.requests.length, 2);
      assert.equal(firstClosed, false, 'the first connection was closed');
      assert.equal(upstream.openSockets(), 1);
    } finally {
      await dispatcher.close();
    }
  });

  it('serves two interleaved streams on one call definition without mixing them', async () => {
    upstream.on('POST /stream', (req) => ({
      sse: [1, 2, 3].map((n) => ({ data: { text: `${(req.body as { hello: string }).hello}${n}` } })).concat([{ data: { end: true } } as never]),
      delayMs: 5,
    }));
    const a = textCall(upstream.url);
    const b = { ...textCall(upstream.url), body: { hello: 'other' } };
    const [pa, pb] = await Promise.all([collect(runEventStreamCall(a, new AbortController().signal)), collect(runEventStreamCall(b, new AbortController().signal))]);
    const text = (parts: ChatStreamPart[]) => parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
    assert.equal(text(pa), 'world1world2world3');
    assert.equal(text(pb), 'other1other2other3');
  });
});
