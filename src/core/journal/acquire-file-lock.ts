import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { PerpetuoError } from '../errors';
import { isProcessAlive as defaultIsProcessAlive } from './is-process-alive';

/** How a lock waits and decides that a holder is gone. */
export interface FileLockOptions {
  /** This process's id, written into the lock so others can tell whether the holder is alive. */
  pid: number;
  now: () => number;
  /** Defaults to signalling the process with 0 (no signal is sent; it only checks existence). */
  isProcessAlive?: (pid: number) => boolean;
  /** A lock older than this is broken even if its pid is alive (a reused pid, a frozen process). Default 30 s. */
  staleMs?: number;
  /** Give up after this long. Default 15 s. */
  timeoutMs?: number;
  random?: () => number;
}

/** A held lock. Release exactly once. */
export interface FileLock {
  release(): void;
}

/**
 * Cross-process mutual exclusion with `open(O_CREAT|O_EXCL)`, which is atomic on every local file
 * system Node runs on. Held for microseconds to milliseconds (one read-decide-append), so waiters
 * poll with a short jittered backoff.
 *
 * Stale locks: a lock whose process is dead, or older than `staleMs`, is removed — but only while
 * holding a second, short-lived `<lock>.break` lock and only if it still has the content judged
 * stale. Without that second lock, two waiters could both judge the same dead lock stale and the
 * slower one would delete the lock the faster one had just taken. (A process dying inside the
 * microseconds it holds `.break` leaves it to the same age rule.) Not for network file systems.
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions): Promise<FileLock> {
  const isProcessAlive = options.isProcessAlive ?? defaultIsProcessAlive;
  const staleMs = options.staleMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const random = options.random ?? Math.random;
  const content = `${options.pid} ${randomUUID()} ${options.now()}\n`;
  const started = options.now();
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(lockPath, content)) {
      const acquiredAt = options.now();
      return {
        // Another process breaks a live holder's lock only once it is staleMs old: held for less
        // than half that, it is still ours and goes without reading it back (four system calls).
        release: () => (options.now() - acquiredAt < staleMs / 2 ? unlinkQuietly(lockPath) : releaseIfOurs(lockPath, content)),
      };
    }
    const holder = readHolder(lockPath);
    if (holder !== undefined && isStale(holder, options.now(), staleMs, isProcessAlive)) {
      breakStaleLock(lockPath, holder.raw, options.now(), staleMs);
      continue;
    }
    if (options.now() - started > timeoutMs) {
      throw new PerpetuoError({
        kind: 'config',
        message: `Could not lock ${lockPath} within ${Math.round(timeoutMs / 1000)} s: process ${holder?.pid ?? 'unknown'} holds it. If no Perpetuo window or endpoint is running, delete that file.`,
      });
    }
    const backoff = Math.min(2 ** Math.min(attempt, 4), 16) * (0.5 + random());
    await new Promise((resolve) => setTimeout(resolve, backoff));
  }
}

interface Holder {
  raw: string;
  pid: number | undefined;
  sinceMs: number | undefined;
  /** The lock file's mtime when it is empty (its writer may have died between create and write). */
  emptySinceMs: number | undefined;
}

/** How long a lock file may stay empty before it is judged abandoned, by its mtime (wall clock). */
const EMPTY_LOCK_STALE_MS = 1_000;

function tryCreate(lockPath: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return false;
    }
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(lockPath: string): Holder | undefined {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined; // released between our open and our read: just retry
  }
  const [pid, , since] = raw.trim().split(' ');
  const createdMs = raw.trim() === '' ? statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs : undefined;
  return { raw, pid: pid ? Number(pid) : undefined, sinceMs: since ? Number(since) : undefined, emptySinceMs: createdMs };
}

function isStale(holder: Holder, nowMs: number, staleMs: number, isProcessAlive: (pid: number) => boolean): boolean {
  if (holder.pid !== undefined && Number.isInteger(holder.pid) && !isProcessAlive(holder.pid)) {
    return true;
  }
  // An empty lock is one being written right now (create and write are microseconds apart), unless
  // it has been empty for longer than any writer takes: its process died in between (kill -9).
  if (holder.emptySinceMs !== undefined) {
    return Date.now() - holder.emptySinceMs > EMPTY_LOCK_STALE_MS;
  }
  return holder.sinceMs !== undefined && Number.isFinite(holder.sinceMs) ? nowMs - holder.sinceMs > staleMs : false;
}

function breakStaleLock(lockPath: string, judgedRaw: string, nowMs: number, staleMs: number): void {
  const breaker = `${lockPath}.break`;
  if (!tryCreate(breaker, `${process.pid} ${nowMs}\n`)) {
    try {
      if (Date.now() - statSync(breaker).mtimeMs > staleMs) {
        unlinkSync(breaker);
      }
    } catch {
      // Gone already: someone finished breaking.
    }
    return;
  }
  try {
    if (readHolder(lockPath)?.raw === judgedRaw) {
      unlinkSync(lockPath);
    }
  } catch {
    // Removed by its owner meanwhile: nothing to break.
  } finally {
    unlinkSync(breaker);
  }
}

function unlinkQuietly(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // Already gone: nothing to release.
  }
}

function releaseIfOurs(lockPath: string, content: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === content) {
      unlinkSync(lockPath);
    }
  } catch {
    // Already gone (broken as stale after a very long hold): nothing to release.
  }
}
