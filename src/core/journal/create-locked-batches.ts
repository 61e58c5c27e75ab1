import { acquireFileLock, type FileLockOptions } from './acquire-file-lock';

/** How a queue of journal operations takes its lock and runs its batches. */
export interface LockedBatchOptions<T> {
  lockPath: string;
  lock: FileLockOptions;
  /**
   * Runs one batch while the lock is held. Synchronous on purpose: read, decide, append, release —
   * the lock is held for a few system calls, never across a disk sync or an await.
   */
  run: (batch: T[]) => void;
  /** Taking the lock or `run` failed: every operation of the batch gets the error. */
  fail: (batch: T[], error: unknown) => void;
  /**
   * The sync in progress, if any. While one runs, operations that are not urgent wait for it
   * before taking the lock: they cannot be acknowledged before the next sync anyway, and waiting
   * gathers everything that arrives meanwhile into one lock, one write and that next sync.
   */
  syncInProgress?: () => Promise<unknown> | undefined;
  /** An operation that must not wait for a sync (a reservation: a request is waiting for it). Default: none. */
  isUrgent?: (operation: T) => boolean;
  /**
   * With no sync in progress, how long operations that are not urgent wait before taking the lock,
   * unless an urgent one arrives first and takes them along: a settlement rides with the next
   * request's reservation, ledger lines of a busy minute share locks and writes. Default 0.
   */
  gatherMs?: number;
}

/** The gather window the ledger and the budget store use (see `LockedBatchOptions.gatherMs`). */
export const DEFAULT_GATHER_MS = 5;

/**
 * A queue whose operations run in batches under a cross-process file lock: all operations queued
 * while the lock is being taken, while the previous sync runs, or within the gather window, share
 * the next batch (group commit). The first batch starts on a microtask, so operations queued in
 * one synchronous run share it too.
 */
export function createLockedBatches<T>(options: LockedBatchOptions<T>): (operation: T) => void {
  const queue: T[] = [];
  const isUrgent = options.isUrgent ?? (() => false);
  const gatherMs = options.gatherMs ?? 0;
  let pumping = false;
  /** Ends a wait (for a sync or the gather window) early: an urgent operation arrived. */
  let wake: (() => void) | undefined;

  const waitBeforeLocking = async (): Promise<void> => {
    if (queue.some(isUrgent)) {
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waitFor = options.syncInProgress?.() ?? (gatherMs > 0 ? new Promise<void>((resolve) => (timer = setTimeout(resolve, gatherMs))) : undefined);
    if (waitFor === undefined) {
      return;
    }
    const woken = new Promise<void>((resolve) => (wake = resolve));
    await Promise.race([
      waitFor.then(
        () => undefined,
        () => undefined,
      ),
      woken,
    ]);
    clearTimeout(timer);
    wake = undefined;
  };

  const pump = async (): Promise<void> => {
    try {
      while (queue.length > 0) {
        await waitBeforeLocking();
        let batch: T[] = [];
        try {
          const lock = await acquireFileLock(options.lockPath, options.lock);
          batch = queue.splice(0, queue.length);
          try {
            options.run(batch);
          } finally {
            lock.release();
          }
        } catch (error) {
          if (batch.length === 0) {
            batch = queue.splice(0, queue.length);
          }
          options.fail(batch, error);
        }
      }
    } finally {
      pumping = false;
    }
  };

  return (operation) => {
    queue.push(operation);
    if (wake !== undefined && isUrgent(operation)) {
      wake();
    }
    if (!pumping) {
      pumping = true;
      queueMicrotask(() => void pump());
    }
  };
}
