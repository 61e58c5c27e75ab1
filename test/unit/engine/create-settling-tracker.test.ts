import assert from 'node:assert/strict';
import { createSettlingTracker } from '../../../src/core/engine/create-settling-tracker';
import type { CallSummary, RoutedCall, RoutingEngine } from '../../../src/core/engine/routed-call';

/** An engine whose calls settle when the test says so: the tracker's only input is `settled`. */
function engineWithManualSettling() {
  const settle: Array<() => void> = [];
  const engine = {
    route: () => {
      const settled = new Promise<CallSummary>((resolve) => settle.push(() => resolve({} as CallSummary)));
      return { settled } as unknown as RoutedCall;
    },
  } as unknown as RoutingEngine;
  return { engine, settle };
}

describe('createSettlingTracker', () => {
  it('drains once every answered call has settled', async () => {
    const { engine, settle } = engineWithManualSettling();
    const tracker = createSettlingTracker();
    const tracked = tracker.track(engine);
    tracked.route({ messages: [] }, { model: 'perpetuo/auto', source: { kind: 'chat' } }, new AbortController().signal);
    tracked.route({ messages: [] }, { model: 'perpetuo/auto', source: { kind: 'chat' } }, new AbortController().signal);
    let drained = false;
    const drain = tracker.drain(60_000).then(() => (drained = true));
    settle[0]?.();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false, 'drained with a call still settling');
    settle[1]?.();
    await drain;
    assert.equal(drained, true);
  });

  it('gives up after the timeout when a call never settles', async () => {
    const { engine } = engineWithManualSettling();
    const tracker = createSettlingTracker();
    tracker.track(engine).route({ messages: [] }, { model: 'perpetuo/auto', source: { kind: 'chat' } }, new AbortController().signal);
    await tracker.drain(10);
  });
});
