import type { RoutingEngine } from './routed-call';

/**
 * An answer goes out before its budget settlement and ledger line are written (the client does not
 * wait for a disk sync). A host that shuts down — `perpetuo serve` stopping, VS Code deactivating
 * the extension — waits here for those writes, so a request that was answered is also recorded.
 */
export interface SettlingTracker {
  /** The same engine; each routed call is tracked until its `settled` resolves. */
  track(engine: RoutingEngine): RoutingEngine;
  /** Resolves once every tracked call has settled, or after `timeoutMs`, whichever is first. */
  drain(timeoutMs: number): Promise<void>;
}

export function createSettlingTracker(): SettlingTracker {
  const pending = new Set<Promise<void>>();
  return {
    track(engine) {
      return {
        ...engine,
        route(request, options, signal) {
          const call = engine.route(request, options, signal);
          const done: Promise<void> = call.settled.then(
            () => undefined,
            () => undefined,
          );
          pending.add(done);
          void done.then(() => pending.delete(done));
          return call;
        },
      };
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(pending), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
