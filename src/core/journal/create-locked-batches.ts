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
}

/**
 * A queue whose operations run in batches under a cross-process file lock: all operations queued
 * while the lock is being taken (or while the previous batch held it) share the next one. The
 * first batch starts on a microtask, so operations queued in one synchronous run share it too.
 */
export function createLockedBatches<T>(options: LockedBatchOptions<T>): (operation: T) => void {
  const queue: T[] = [];
  let pumping = false;

  const pump = async (): Promise<void> => {
    try {
      while (queue.length > 0) {
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
    if (!pumping) {
      pumping = true;
      queueMicrotask(() => void pump());
    }
  };
}
