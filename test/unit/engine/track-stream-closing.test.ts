import assert from 'node:assert/strict';
import { trackStreamClosing } from '../../../src/core/engine/track-stream-closing';
import type { ChatModel } from '../../../src/core/spec/chat-model';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { emptyUsage } from '../../../src/core/spec/usage';

const finish: ChatStreamPart = { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: emptyUsage() };

/** A model whose stream logs its clean-up, as withBudget's settlement runs in its `finally`. */
function loggingModel(log: string[], parts: ChatStreamPart[], fault?: Error): ChatModel {
  return {
    provider: 'p',
    modelId: 'm',
    async *stream() {
      try {
        yield* parts;
        if (fault !== undefined) {
          throw fault;
        }
      } finally {
        log.push('clean-up');
      }
    },
  };
}

/** Whether the promise has settled once pending reactions have run. */
async function isSettled(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('trackStreamClosing', () => {
  const signal = new AbortController().signal;
  const request = { messages: [] };

  it('passes every part through and counts the stream closed when it is read to its end', async () => {
    const log: string[] = [];
    const closed: Array<Promise<void>> = [];
    const model = trackStreamClosing(loggingModel(log, [{ type: 'text-delta', delta: 'hi' }, finish]), closed);
    const seen: string[] = [];
    for await (const part of model.stream(request, signal)) {
      seen.push(part.type);
      assert.equal(await isSettled(closed[0] ?? Promise.reject(new Error('no promise'))), false, 'closed while parts were still coming');
    }
    assert.deepEqual(seen, ['text-delta', 'finish']);
    assert.equal(closed.length, 1);
    assert.equal(await isSettled(closed[0]!), true);
    assert.deepEqual(log, ['clean-up']);
  });

  it('counts a stream its consumer returns mid-way closed once the model has cleaned up', async () => {
    const log: string[] = [];
    const closed: Array<Promise<void>> = [];
    const model = trackStreamClosing(loggingModel(log, [{ type: 'text-delta', delta: 'a' }, { type: 'text-delta', delta: 'b' }, finish]), closed);
    const parts = model.stream(request, signal)[Symbol.asyncIterator]();
    await parts.next();
    assert.equal(await isSettled(closed[0]!), false);
    const whenClosed = closed[0]!.then(() => log.push('closed'));
    await parts.return?.();
    await whenClosed;
    assert.deepEqual(log, ['clean-up', 'closed']);
  });

  it('counts a stream closed before its first read as closed', async () => {
    const closed: Array<Promise<void>> = [];
    const model = trackStreamClosing(loggingModel([], [finish]), closed);
    await model.stream(request, signal)[Symbol.asyncIterator]().return?.();
    assert.equal(await isSettled(closed[0]!), true);
  });

  it('counts a stream that throws closed, and passes the fault on', async () => {
    const log: string[] = [];
    const closed: Array<Promise<void>> = [];
    const model = trackStreamClosing(loggingModel(log, [{ type: 'text-delta', delta: 'a' }], new Error('broken')), closed);
    const parts = model.stream(request, signal)[Symbol.asyncIterator]();
    await parts.next();
    await assert.rejects(parts.next(), /broken/);
    assert.equal(await isSettled(closed[0]!), true);
    assert.deepEqual(log, ['clean-up']);
  });
});
