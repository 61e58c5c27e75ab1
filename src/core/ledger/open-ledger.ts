import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PerpetuoError } from '../errors';
import { acquireFileLock, createLockedBatches, DEFAULT_GATHER_MS, DEFAULT_SYNC_DELAY_MS, type JournalFile, openJournalFile, type TailPolicy } from '../journal';
import { formatLedgerCsv, formatLedgerJson } from './format-ledger-export';
import { isLedgerRecord } from './is-ledger-record';
import { type LedgerAggregateRow, type LedgerFilter, type LedgerGroupBy, LedgerIndex } from './ledger-index';
import { type LedgerRecord, ledgerRecordSchema } from './ledger-record';
import { serializeLedgerRecord } from './serialize-ledger-record';

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
  /** How long appends gather before their shared `fdatasync` starts (see JournalFileOptions.syncDelayMs). Default DEFAULT_SYNC_DELAY_MS. */
  syncDelayMs?: number;
  /** How long appends wait for others to share a lock and a write (see LockedBatchOptions.gatherMs). Default DEFAULT_GATHER_MS. */
  gatherMs?: number;
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
  /**
   * Resolves once the record is on disk (fsync'd): "acknowledged" means exactly that. The line is
   * written with the next batch, within `gatherMs` (from then on readable by every process and
   * safe from a crash of this one), and synced with every line of the `syncDelayMs` window after.
   */
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
const DAY_MS = 86_400_000;

interface SegmentState {
  name: string;
  file: JournalFile;
}

interface PendingAppend {
  segment: string;
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Opens (and loads) the ledger in `directory`: JSON Lines in one file per UTC month
 * (`ledger-2026-03.jsonl`), append-only, written through src/core/journal.
 *
 * Writes: appends queued together are written as one `write` per segment under `ledger.lock` (so
 * writer processes never interleave bytes); the lock is released before the group `fdatasync`
 * that every append waiting at that moment shares, and an append resolves only after it. A line a
 * crashed writer left without its newline is isolated by starting the next write on a fresh line,
 * and skipped with a warning on read.
 *
 * Reads: every process keeps an index of all records and reads only the bytes appended since its
 * last look, checking each line with `isLedgerRecord` (zod's rules without zod's cost); record
 * text is read back from disk by offset, and parsed by the schema, when a search or export needs it.
 */
export function openLedger(options: LedgerOptions): Ledger {
  mkdirSync(options.directory, { recursive: true });
  const warn = options.onWarning ?? (() => undefined);
  let index = new LedgerIndex();
  let segments: SegmentState[] = [];
  const writers = new Map<string, JournalFile>();
  const syncDelayMs = options.syncDelayMs ?? DEFAULT_SYNC_DELAY_MS;

  const segmentPath = (name: string): string => join(options.directory, name);

  const openSegment = (segmentNumber: number, name: string): SegmentState => {
    const path = segmentPath(name);
    const file = openJournalFile(path, {
      onLine: (line, offset, length, lineNumber) => {
        const record = parseIndexedLine(line);
        if (record === undefined) {
          warn(`${path}: skipped a malformed line (line ${lineNumber}, byte ${offset}); a writer probably stopped mid-write.`);
        } else {
          index.add(record, { segment: segmentNumber, offset, length });
        }
      },
      // Reported at start-up only, and not consumed: if it is a write still in progress, the next refresh reads it whole.
      onTornTail: (_preview, offset, bytes) => warn(`${path}: skipped a torn last record (${bytes} bytes at byte ${offset}) left by a process that stopped mid-write.`),
    });
    return { name, file };
  };

  const load = (tail: TailPolicy): void => {
    index = new LedgerIndex();
    segments = listSegments(options.directory).map((name, i) => openSegment(i, name));
    refreshSegments(tail);
  };

  const refreshSegments = (tail: TailPolicy): void => {
    for (const state of segments) {
      if (state.file.read(tail) !== 'read') {
        load('wait'); // deleted by retention, or replaced, in another process
        return;
      }
    }
  };

  const refresh = (): void => {
    const known = new Set(segments.map((state) => state.name));
    const names = listSegments(options.directory);
    if (names.length < known.size || segments.some((state) => !names.includes(state.name))) {
      load('wait');
      return;
    }
    for (const name of names) {
      if (!known.has(name)) {
        segments.push(openSegment(segments.length, name));
      }
    }
    refreshSegments('wait');
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

  const writerFor = (segment: string): JournalFile => {
    let writer = writers.get(segment);
    if (writer === undefined) {
      writer = openJournalFile(segmentPath(segment), { onLine: () => undefined, syncDelayMs });
      writers.set(segment, writer);
    }
    return writer;
  };

  const storageFailure = (error: unknown): PerpetuoError =>
    new PerpetuoError({ kind: 'config', message: `Could not write the ledger in ${options.directory}: ${(error as Error).message}`, cause: error });

  /** A sync running on any segment: appends arriving meanwhile wait for it, then share one write and the next sync. */
  const syncInProgress = (): Promise<unknown> | undefined => {
    for (const writer of writers.values()) {
      const syncing = writer.syncInProgress();
      if (syncing !== undefined) return syncing;
    }
    return undefined;
  };

  const submit = createLockedBatches<PendingAppend>({
    syncInProgress,
    gatherMs: options.gatherMs ?? DEFAULT_GATHER_MS,
    lockPath: join(options.directory, LOCK),
    lock: { pid: options.pid, now: options.now, isProcessAlive: options.isProcessAlive, timeoutMs: options.lockTimeoutMs },
    run: (batch) => {
      const bySegment = new Map<string, PendingAppend[]>();
      for (const pending of batch) {
        const group = bySegment.get(pending.segment) ?? [];
        group.push(pending);
        bySegment.set(pending.segment, group);
      }
      const written: Array<[JournalFile, PendingAppend[]]> = [];
      for (const [segment, group] of bySegment) {
        const writer = writerFor(segment);
        writer.append(
          group.map((pending) => pending.line),
          false,
        );
        written.push([writer, group]);
      }
      // The sync runs on the thread pool, after the lock is released: other processes append meanwhile.
      for (const [writer, group] of written) {
        writer.flush().then(
          () => group.forEach((pending) => pending.resolve()),
          (error: unknown) => group.forEach((pending) => pending.reject(storageFailure(error))),
        );
      }
    },
    fail: (batch, error) => {
      const wrapped = storageFailure(error);
      for (const pending of batch) pending.reject(wrapped);
    },
  });

  load('report');

  return {
    get size() {
      return index.size;
    },
    append(record) {
      const id = record.id;
      if (!isLedgerRecord(record)) {
        const issues = ledgerRecordSchema.safeParse(record).error?.issues ?? [];
        return Promise.reject(new PerpetuoError({ kind: 'config', message: `Ledger record ${id} is invalid: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}` }));
      }
      const line = serializeLedgerRecord(record, options.logPrompts?.() ?? false);
      const segment = segmentName(Date.parse(record.time));
      return new Promise<void>((resolve, reject) => submit({ segment, line, resolve, reject }));
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
      if (deleted.length > 0) load('wait');
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

/** A line for the index: JSON and the schema's rules, without building zod's copy of the record. */
function parseIndexedLine(text: string): LedgerRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isLedgerRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
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
