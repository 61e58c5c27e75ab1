import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
 * Cross-process mutual exclusion by hard link: each process writes a claim file once (its pid and
 * a random id) and takes the lock by linking it to the lock's name, which fails with EEXIST while
 * anyone holds it. `link` is atomic on every local file system Node runs on, and costs a third of
 * creating, writing and closing a new lock file, which the ledger and the budget store pay on
 * every request. The lock's content is complete the instant it exists, and the link time is its
 * inode's ctime. Where links are not supported (FAT, some network shares) it falls back to
 * `open(O_CREAT|O_EXCL)` with the same content plus the time. Held for microseconds to
 * milliseconds (one read-decide-append), so waiters poll with a short jittered backoff.
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
    const claim = claimFor(lockPath, options.pid, isProcessAlive);
    if (claim !== undefined ? tryLink(claim, lockPath) : tryCreate(lockPath, content)) {
      const acquiredAt = options.now();
      return {
        // Another process breaks a live holder's lock only once it is staleMs old: held for less
        // than half that, it is still ours and goes without reading it back (four system calls).
        release: () => (options.now() - acquiredAt < staleMs / 2 ? unlinkQuietly(lockPath) : releaseIfOurs(lockPath, claim !== undefined ? claim.content : content)),
      };
    }
    const holder = readHolder(lockPath);
    if (holder !== undefined && isStale(holder, options.now(), staleMs, isProcessAlive)) {
      breakStaleLock(lockPath, holder, options.now(), staleMs);
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
  /** When the lock was taken, by the holder's clock: written in a created lock, the link's ctime (wall clock) for a linked claim. */
  sinceMs: number | undefined;
  /** Whether `sinceMs` is wall-clock time from the file system rather than the holder's `now()`. */
  sinceIsWallClock: boolean;
  /** The lock file's mtime when it is empty (its writer may have died between create and write). */
  emptySinceMs: number | undefined;
}

/** How long a lock file may stay empty before it is judged abandoned, by its mtime (wall clock). */
const EMPTY_LOCK_STALE_MS = 1_000;

/** This process's claim on one lock path: a file holding `pid id`, linked to the lock's name to take it. */
interface Claim {
  path: string;
  content: string;
}

/** Claims by lock path and pid; `null` where the file system refused a link (use O_EXCL there). */
const claims = new Map<string, Claim | null>();
/** Whether this process removes its claim files when it exits (set up with the first claim). */
let removesClaimsAtExit = false;
/** Link errors that mean "this file system has no hard links", not "the lock is taken". */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS', 'EACCES']);

function claimFor(lockPath: string, pid: number, isProcessAlive: (pid: number) => boolean): Claim | undefined {
  const key = `${lockPath}\0${pid}`;
  const known = claims.get(key);
  if (known !== undefined) {
    return known ?? undefined;
  }
  removeDeadClaims(lockPath, isProcessAlive);
  const claim = { path: `${lockPath}.${pid}.${randomUUID().slice(0, 8)}.claim`, content: `${pid} ${randomUUID()}\n` };
  writeFileSync(claim.path, claim.content, { flag: 'wx' });
  if (!removesClaimsAtExit) {
    removesClaimsAtExit = true;
    process.once('exit', () => claims.forEach((held) => held !== null && unlinkQuietly(held.path)));
  }
  claims.set(key, claim);
  return claim;
}

/** Claim files of processes that are gone (killed before their exit handler ran). */
function removeDeadClaims(lockPath: string, isProcessAlive: (pid: number) => boolean): void {
  const prefix = `${basename(lockPath)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(lockPath));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.claim')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) {
      unlinkQuietly(join(dirname(lockPath), name));
    }
  }
}

function tryLink(claim: Claim, lockPath: string): boolean {
  try {
    linkSync(claim.path, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') {
      return false;
    }
    // Our claim was deleted (by hand, or by a process that took our pid for a dead one's), or the
    // file system has no hard links: forget it; the next attempt makes a new claim or uses O_EXCL.
    for (const [key, held] of claims) {
      if (held !== claim) continue;
      if (code === 'ENOENT') claims.delete(key);
      else claims.set(key, null);
    }
    if (code === 'ENOENT' || NO_LINKS.has(code)) {
      return false;
    }
    throw error;
  }
}

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
  const [pid, id, since] = raw.trim().split(' ');
  const createdMs = raw.trim() === '' ? statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs : undefined;
  // A linked claim carries no time: the link made the lock, and set its inode's ctime.
  const linkedMs = id !== undefined && since === undefined ? statSync(lockPath, { throwIfNoEntry: false })?.ctimeMs : undefined;
  return {
    raw,
    pid: pid ? Number(pid) : undefined,
    sinceMs: since ? Number(since) : linkedMs,
    sinceIsWallClock: linkedMs !== undefined,
    emptySinceMs: createdMs,
  };
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
  return holder.sinceMs !== undefined && Number.isFinite(holder.sinceMs) ? (holder.sinceIsWallClock ? Date.now() : nowMs) - holder.sinceMs > staleMs : false;
}

function breakStaleLock(lockPath: string, judged: Holder, nowMs: number, staleMs: number): void {
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
    // Same content and same time: a linked claim has the same content at every acquisition, so a
    // holder that released and took the lock again meanwhile differs only by its link time.
    const current = readHolder(lockPath);
    if (current !== undefined && current.raw === judged.raw && current.sinceMs === judged.sinceMs) {
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
