import { closeSync, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PerpetuoError } from '../errors';
import { acquireFileLock } from './acquire-file-lock';
import { formatLedgerCsv, formatLedgerJson } from './format-ledger-export';
import { type LedgerAggregateRow, type LedgerFilter, type LedgerGroupBy, LedgerIndex } from './ledger-index';
import { type LedgerRecord, ledgerRecordSchema } from './ledger-record';
import { serializeLedgerRecord } from './serialize-ledger-record';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/** Side effects and settings of a ledger. */
export interface LedgerOptions {
  /** Under the extension's global storage, shared by every window. */
  directory: string;
  now: () => number;
  pid: number;
  isProcessAlive?: (pid: number) => boolean;
  /** Malformed or torn lines skipped while reading. */
  onWarning?: (message: string) => void;
  /** `perpetuo.logging.prompts`; read at each append so a settings change applies at once. */
  logPrompts?: () => boolean;
  lockTimeoutMs?: number;
}

/** A dashboard search: filters, free text over the whole record (decision included), paging. */
export interface LedgerSearch extends LedgerFilter {
  /** Case-insensitive text anywhere in the record's JSON. */
  text?: string;
  offset?: number;
  limit?: number;
}

/** One page of search results, newest first. */
export interface LedgerSearchResult {
  total: number;
  records: LedgerRecord[];
}

/** The request ledger of one storage directory. */
export interface Ledger {
  /** Resolves once the record is on disk (fsync'd): "acknowledged" means exactly that. */
  append(record: LedgerRecord): Promise<void>;
  /** Reads what any process appended since the last look. Queries call it themselves. */
  refresh(): void;
  /** Spend of the local day containing `atMs` (default now), in nanodollars. */
  spendOnDayNanos(atMs?: number): number;
  aggregate(groupBy: LedgerGroupBy, fromMs?: number, toMs?: number): LedgerAggregateRow[];
  search(query: LedgerSearch): LedgerSearchResult;
  get(id: string): LedgerRecord | undefined;
  export(format: 'csv' | 'json', filter?: LedgerFilter): string;
  /** Deletes month segments that ended more than `days` ago; returns their file names. */
  applyRetention(days: number): Promise<string[]>;
  readonly size: number;
}

const SEGMENT = /^ledger-(\d{4})-(\d{2})\.jsonl$/;
const LOCK = 'ledger.lock';
const READ_CHUNK = 8 * 1024 * 1024;
const DAY_MS = 86_400_000;

interface SegmentState {
  name: string;
  inode: number;
  offset: number;
}

interface PendingAppend {
  segment: string;
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Opens (and loads) the ledger in `directory`: JSON Lines in one file per UTC month
 * (`ledger-2026-03.jsonl`), append-only.
 *
 * Writes: appends queued together are written as one `write` per segment on an O_APPEND
 * descriptor, under `ledger.lock` (so writer processes never interleave bytes), then
 * `fdatasync`ed before any of them resolves. A line a crashed writer left without its newline is
 * isolated by starting the next write on a fresh line, and skipped with a warning on read.
 *
 * Reads: every process keeps an index of all records and reads only the bytes appended since its
 * last look; record text is read back from disk by offset when a search or export needs it.
 */
export function openLedger(options: LedgerOptions): Ledger {
  mkdirSync(options.directory, { recursive: true });
  const warn = options.onWarning ?? (() => undefined);
  let index = new LedgerIndex();
  let segments: SegmentState[] = [];
  const queue: PendingAppend[] = [];
  let pumping = false;

  const segmentPath = (name: string): string => join(options.directory, name);

  const readNewLines = (segmentNumber: number, state: SegmentState, fd: number, size: number, isStartup: boolean): void => {
    let position = state.offset;
    let carry = Buffer.alloc(0);
    while (position < size) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, size - position));
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) {
        break;
      }
      position += read;
      const buffer = carry.length === 0 ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
      const bufferStart = position - buffer.length;
      let lineStart = 0;
      for (let newline = buffer.indexOf(10, lineStart); newline !== -1; newline = buffer.indexOf(10, lineStart)) {
        if (newline > lineStart) {
          const record = parseLine(buffer.toString('utf8', lineStart, newline));
          if (record === undefined) {
            warn(`${segmentPath(state.name)}: skipped a malformed line at byte ${bufferStart + lineStart}; a writer probably stopped mid-write.`);
          } else {
            index.add(record, { segment: segmentNumber, offset: bufferStart + lineStart, length: newline - lineStart });
          }
        }
        lineStart = newline + 1;
      }
      carry = buffer.subarray(lineStart);
      state.offset = bufferStart + lineStart;
    }
    if (carry.length > 0 && isStartup) {
      // Not consumed: if it is a write still in progress, the next refresh reads it whole.
      warn(`${segmentPath(state.name)}: skipped a torn last record (${carry.length} bytes at byte ${state.offset}) left by a process that stopped mid-write.`);
    }
  };

  const load = (isStartup: boolean): void => {
    index = new LedgerIndex();
    segments = [];
    for (const name of listSegments(options.directory)) {
      segments.push({ name, inode: -1, offset: 0 });
    }
    refreshSegments(isStartup);
  };

  const refreshSegments = (isStartup: boolean): void => {
    for (let i = 0; i < segments.length; i++) {
      const state = segments[i];
      if (state === undefined) continue;
      let fd: number;
      try {
        fd = openSync(segmentPath(state.name), 'r');
      } catch {
        load(false); // deleted by retention in another process
        return;
      }
      let replaced = false;
      try {
        const stat = fstatSync(fd);
        replaced = state.inode !== -1 && (stat.ino !== state.inode || stat.size < state.offset);
        if (!replaced) {
          state.inode = stat.ino;
          readNewLines(i, state, fd, stat.size, isStartup);
        }
      } finally {
        closeSync(fd);
      }
      if (replaced) {
        load(false);
        return;
      }
    }
  };

  const refresh = (): void => {
    const known = new Set(segments.map((state) => state.name));
    const names = listSegments(options.directory);
    if (names.length < known.size || segments.some((state) => !names.includes(state.name))) {
      load(false);
      return;
    }
    for (const name of names) {
      if (!known.has(name)) {
        segments.push({ name, inode: -1, offset: 0 });
      }
    }
    refreshSegments(false);
  };

  const readRecord = (segmentNumber: number, offset: number, length: number): LedgerRecord | undefined => {
    const state = segments[segmentNumber];
    if (state === undefined) return undefined;
    const fd = openSync(segmentPath(state.name), 'r');
    try {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return parseLine(buffer.toString('utf8'));
    } finally {
      closeSync(fd);
    }
  };

  const writeBatch = async (batch: PendingAppend[]): Promise<void> => {
    const lock = await acquireFileLock(join(options.directory, LOCK), {
      pid: options.pid,
      now: options.now,
      isProcessAlive: options.isProcessAlive,
      timeoutMs: options.lockTimeoutMs,
    });
    try {
      const bySegment = new Map<string, string[]>();
      for (const pending of batch) {
        const lines = bySegment.get(pending.segment) ?? [];
        lines.push(pending.line);
        bySegment.set(pending.segment, lines);
      }
      for (const [segment, lines] of bySegment) {
        const fd = openSync(segmentPath(segment), 'a+');
        try {
          const { size } = fstatSync(fd);
          let prefix = '';
          if (size > 0) {
            const last = Buffer.alloc(1);
            readSync(fd, last, 0, 1, size - 1);
            prefix = last[0] === 10 ? '' : '\n';
          }
          const bytes = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
          let written = 0;
          while (written < bytes.length) {
            written += writeSync(fd, bytes, written, bytes.length - written);
          }
          // Async: the extension host keeps serving while the disk syncs (the file lock is still held).
          await fdatasyncAsync(fd);
          if (size === 0) {
            syncDirectory(options.directory); // the new file's directory entry must survive a crash too
          }
        } finally {
          closeSync(fd);
        }
      }
    } finally {
      lock.release();
    }
  };

  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, queue.length);
        try {
          await writeBatch(batch);
          for (const pending of batch) pending.resolve();
        } catch (error) {
          const wrapped = new PerpetuoError({ kind: 'config', message: `Could not write the ledger in ${options.directory}: ${(error as Error).message}`, cause: error });
          for (const pending of batch) pending.reject(wrapped);
        }
      }
    } finally {
      pumping = false;
    }
  };

  load(true);

  return {
    get size() {
      return index.size;
    },
    append(record) {
      const parsed = ledgerRecordSchema.safeParse(record);
      if (!parsed.success) {
        return Promise.reject(new PerpetuoError({ kind: 'config', message: `Ledger record ${record.id} is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` }));
      }
      const line = serializeLedgerRecord(parsed.data, options.logPrompts?.() ?? false);
      const segment = segmentName(Date.parse(parsed.data.time));
      return new Promise<void>((resolve, reject) => {
        queue.push({ segment, line, resolve, reject });
        if (!pumping) void pump();
      });
    },
    refresh,
    spendOnDayNanos(atMs = options.now()) {
      refresh();
      return index.spendOnDay(atMs);
    },
    aggregate(groupBy, fromMs, toMs) {
      refresh();
      return index.aggregate(groupBy, fromMs, toMs);
    },
    search(query) {
      refresh();
      const rows = index.select(query);
      const offset = Math.max(0, query.offset ?? 0);
      const limit = Math.max(0, query.limit ?? 50);
      const needle = query.text?.trim().toLowerCase();
      if (needle === undefined || needle === '') {
        const records = rows.slice(offset, offset + limit).map((row) => {
          const at = index.locationOf(row);
          return readRecord(at.segment, at.offset, at.length);
        });
        return { total: rows.length, records: records.filter((record) => record !== undefined) };
      }
      // Text search reads each candidate segment once, whole, rather than one read per record.
      const files = new Map<number, Buffer>();
      const records: LedgerRecord[] = [];
      let total = 0;
      for (const row of rows) {
        const at = index.locationOf(row);
        let file = files.get(at.segment);
        if (file === undefined) {
          const state = segments[at.segment];
          file = state === undefined ? Buffer.alloc(0) : readWhole(segmentPath(state.name));
          files.set(at.segment, file);
        }
        const text = file.toString('utf8', at.offset, at.offset + at.length);
        if (!text.toLowerCase().includes(needle)) continue;
        if (total >= offset && records.length < limit) {
          const record = parseLine(text);
          if (record !== undefined) records.push(record);
        }
        total += 1;
      }
      return { total, records };
    },
    get(id) {
      refresh();
      const at = index.locate(id);
      return at === undefined ? undefined : readRecord(at.segment, at.offset, at.length);
    },
    export(format, filter = {}) {
      refresh();
      const rows = index.select(filter).reverse(); // oldest first, as a spreadsheet expects
      const records = function* (): Generator<LedgerRecord> {
        for (const row of rows) {
          const at = index.locationOf(row);
          const record = readRecord(at.segment, at.offset, at.length);
          if (record !== undefined) yield record;
        }
      };
      return format === 'csv' ? formatLedgerCsv(records()) : formatLedgerJson(records());
    },
    async applyRetention(days) {
      const cutoff = options.now() - days * DAY_MS;
      const lock = await acquireFileLock(join(options.directory, LOCK), { pid: options.pid, now: options.now, isProcessAlive: options.isProcessAlive, timeoutMs: options.lockTimeoutMs });
      const deleted: string[] = [];
      try {
        for (const name of listSegments(options.directory)) {
          const match = SEGMENT.exec(name);
          if (match && Date.UTC(Number(match[1]), Number(match[2]), 1) <= cutoff) {
            unlinkSync(segmentPath(name));
            deleted.push(name);
          }
        }
      } finally {
        lock.release();
      }
      if (deleted.length > 0) load(false);
      return deleted;
    },
  };
}

/** The segment a record belongs to: the UTC month of its time, so every process agrees. */
function segmentName(atMs: number): string {
  const date = new Date(atMs);
  return `ledger-${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}.jsonl`;
}

function listSegments(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => SEGMENT.test(name))
    .sort();
}

function parseLine(text: string): LedgerRecord | undefined {
  try {
    const parsed = ledgerRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
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
    // Windows cannot open a directory; NTFS journals the new entry itself.
  }
}
