import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const READ_CHUNK = 8 * 1024 * 1024;
const NEWLINE = 10;
/** An inode number no file has: the next read reports 'replaced', so its reader starts over from the new file. */
const REPLACED_BY_US = -2;

/**
 * The window the ledger and the budget store give a sync to gather appends: a busy endpoint or a
 * user's quick succession of requests shares one `fdatasync` per window instead of paying one per
 * request, on the thread pool and in the file system's journal. A power cut can lose at most the
 * lines of the last window; a crash of the process loses nothing written.
 */
export const DEFAULT_SYNC_DELAY_MS = 10;

/** What to do with bytes after the last newline. */
export type TailPolicy =
  /** Leave them for the next read: another process may be writing that line right now. */
  | 'wait'
  /** Leave them, but report them: at start-up, bytes without a newline are most likely torn. */
  | 'report'
  /** Report and skip them: under the lock no write is in progress, so they are torn for sure. */
  | 'skip';

/** How one read went. */
export type ReadOutcome =
  | 'read'
  /** Another inode at the path (compaction), or a shorter file: everything read before is void; the next read starts at byte 0. */
  | 'replaced'
  /** No file at the path (not written yet, or deleted by retention). */
  | 'missing';

/** Side effects of a journal file, injected for tests. */
export interface JournalFileOptions {
  /** Each complete line read, with its byte offset, byte length (newline excluded) and 1-based line number. */
  onLine: (line: string, offset: number, length: number, lineNumber: number) => void;
  /** Bytes without a newline at the end of the file (see `TailPolicy`). */
  onTornTail?: (preview: string, offset: number, bytes: number) => void;
  /** Defaults to node's fdatasync; a test passes a counting wrapper around the real one. */
  fdatasync?: (fd: number) => Promise<void>;
  /**
   * How long a flush with no sync running waits before starting one, so that everything appended
   * in that window shares it (group commit over time, not only over a sync in progress). Default 0:
   * start at once. A window trades how soon a line is durable for fewer syncs; lines are written
   * (visible to every process, and safe from a crash of this one) before the window opens either way.
   */
  syncDelayMs?: number;
}

/**
 * One append-only file of lines shared by processes: the storage under the ledger's segments and
 * the budget journal. It reads only what was appended since its last read, appends whole lines in
 * one `write` (the caller holds the cross-process lock), and makes them durable with a group
 * `fdatasync`: every caller of `flush` while one sync runs shares the next one.
 */
export interface JournalFile {
  readonly path: string;
  /** The byte up to which lines were read. */
  readonly offset: number;
  /** Whether the file is not what was last read (other inode, other size): one `stat`, no read. */
  hasChanged(): boolean;
  /** Reads the lines appended since the last read. */
  read(tail: TailPolicy): ReadOutcome;
  /**
   * Appends `lines` (no newlines inside) in one write on an O_APPEND descriptor; call it under the
   * lock. A file ending in torn bytes gets a newline first, so those bytes stay a line of their
   * own. With `consumed`, lines written by a reader that was at the end of the file count as read
   * (the caller has already applied them).
   */
  append(lines: readonly string[], consumed: boolean): void;
  /**
   * Under the lock, with one descriptor: reads what was appended since the last read, then
   * appends the lines `produce` returns (decided on what was just read) as `append(lines, true)`.
   * On 'replaced' nothing was read or written: start over and call again.
   */
  update(tail: TailPolicy, produce: () => readonly string[]): ReadOutcome;
  /** Resolves once every line appended before the call is on disk. */
  flush(): Promise<void>;
  /**
   * The sync running or queued behind a running one, if any: it settles when the disk has
   * everything appended before it. A sync still waiting out its window is not reported: lines
   * appended meanwhile are covered by it anyway, so nothing should wait for it before appending.
   */
  syncInProgress(): Promise<void> | undefined;
  /** Replaces the file atomically with `lines` (written, synced, renamed over); the next read starts over. */
  replace(lines: readonly string[], temporarySuffix: string): void;
}

/** Opens (lazily: nothing is touched until the first read or append) the journal file at `path`. */
export function openJournalFile(path: string, options: JournalFileOptions): JournalFile {
  const sync = options.fdatasync ?? promisify(fdatasync);
  const syncDelayMs = options.syncDelayMs ?? 0;
  let inode = -1;
  let offset = 0;
  /** Newlines before `offset`. */
  let lineCount = 0;
  /** A size at which the file (inode `inode`) is known to end with a newline: an append there needs no look at the last byte. */
  let cleanEnd = -1;
  /** A file this object created: its directory entry must be synced too. */
  let createdUnsynced = false;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  /** A sync waiting out its window (`syncDelayMs`): not started, so it covers everything appended before it starts. */
  let gathering: Promise<void> | undefined;

  const readFrom = (fd: number, size: number, tail: TailPolicy): void => {
    let position = offset;
    let carry = Buffer.alloc(0);
    while (position < size) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - position));
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) {
        break;
      }
      position += read;
      const buffer = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
      const bufferStart = position - buffer.length;
      let lineStart = 0;
      for (let newline = buffer.indexOf(NEWLINE, lineStart); newline !== -1; newline = buffer.indexOf(NEWLINE, lineStart)) {
        lineCount += 1;
        if (newline > lineStart) {
          options.onLine(buffer.toString('utf8', lineStart, newline), bufferStart + lineStart, newline - lineStart, lineCount);
        }
        lineStart = newline + 1;
      }
      carry = buffer.subarray(lineStart);
      offset = bufferStart + lineStart;
    }
    if (carry.length === 0 && offset === size && size > 0) {
      cleanEnd = size;
    }
    if (carry.length > 0 && tail !== 'wait') {
      options.onTornTail?.(carry.toString('utf8', 0, Math.min(80, carry.length)), offset, carry.length);
      if (tail === 'skip') {
        offset += carry.length;
      }
    }
  };

  /** Reads on `fd` (stat `stat`) what was appended since the last read; a file other than the one read before starts over. */
  const readOn = (fd: number, stat: { ino: number; size: number }, tail: TailPolicy): ReadOutcome => {
    if (inode !== -1 && (stat.ino !== inode || stat.size < offset)) {
      forget();
      return 'replaced';
    }
    inode = stat.ino;
    readFrom(fd, stat.size, tail);
    return 'read';
  };

  const forget = (): void => {
    inode = -1;
    offset = 0;
    lineCount = 0;
    cleanEnd = -1;
  };

  /** One write of `lines` on `fd` (opened O_APPEND, `stat` taken on it), under the lock. */
  const writeLines = (fd: number, stat: { ino: number; size: number }, lines: readonly string[], consumed: boolean): void => {
    let prefix = '';
    if (stat.size > 0 && !(stat.ino === inode && stat.size === cleanEnd)) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, stat.size - 1);
      prefix = last[0] === NEWLINE ? '' : '\n';
    } else if (stat.size === 0) {
      createdUnsynced = true;
    }
    const bytes = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    // A reader that was at the end of the file (or before its creation) has applied these lines already.
    if (consumed && (stat.ino === inode || inode === -1) && stat.size === offset) {
      inode = stat.ino;
      offset += bytes.length;
      lineCount += lines.length + (prefix === '' ? 0 : 1);
    }
    if (stat.ino === inode) {
      cleanEnd = stat.size + bytes.length;
    }
  };

  const syncOnce = async (): Promise<void> => {
    const directoryToo = createdUnsynced;
    createdUnsynced = false;
    // A descriptor of its own: the path may have been compacted meanwhile, and the new file
    // (synced before its rename) holds everything this one held.
    const fd = openSync(path, 'r+');
    try {
      await sync(fd);
    } finally {
      closeSync(fd);
    }
    if (directoryToo) {
      syncDirectory(dirname(path));
    }
  };

  const startSync = (): Promise<void> => {
    const current: Promise<void> = syncOnce().finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  };

  return {
    path,
    get offset() {
      return offset;
    },
    hasChanged() {
      const stat = statSync(path, { throwIfNoEntry: false });
      return stat === undefined ? inode !== -1 : stat.ino !== inode || stat.size !== offset;
    },
    read(tail) {
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          const known = inode !== -1;
          forget();
          return known ? 'replaced' : 'missing';
        }
        throw error;
      }
      try {
        return readOn(fd, fstatSync(fd), tail);
      } finally {
        closeSync(fd);
      }
    },
    append(lines, consumed) {
      if (lines.length === 0) {
        return;
      }
      const fd = openSync(path, 'a+');
      try {
        writeLines(fd, fstatSync(fd), lines, consumed);
      } finally {
        closeSync(fd);
      }
    },
    update(tail, produce) {
      const fd = openSync(path, 'a+');
      try {
        const stat = fstatSync(fd);
        if (readOn(fd, stat, tail) === 'replaced') {
          return 'replaced';
        }
        const lines = produce();
        if (lines.length > 0) {
          writeLines(fd, stat, lines, true);
        }
        return 'read';
      } finally {
        closeSync(fd);
      }
    },
    syncInProgress() {
      return queued ?? running;
    },
    flush() {
      if (queued !== undefined) {
        return queued;
      }
      if (gathering !== undefined) {
        return gathering;
      }
      if (running === undefined) {
        if (syncDelayMs <= 0) {
          return startSync();
        }
        const current: Promise<void> = new Promise<void>((resolve) => setTimeout(resolve, syncDelayMs)).then(() => {
          gathering = undefined;
          return startSync();
        });
        gathering = current;
        return current;
      }
      // A sync is running, but it may have started before these lines were written: wait for it,
      // then share one more with everyone else who arrives meanwhile.
      const next = running
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          queued = undefined;
          return startSync();
        });
      queued = next;
      return next;
    },
    replace(lines, temporarySuffix) {
      const temporary = `${path}.${temporarySuffix}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
        let written = 0;
        while (written < bytes.length) {
          written += writeSync(fd, bytes, written, bytes.length - written);
        }
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
      syncDirectory(dirname(path));
      inode = REPLACED_BY_US;
    },
  };
}

function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a directory; NTFS journals the new entry (and a rename) itself.
  }
}
