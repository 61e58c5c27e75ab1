import { randomUUID } from 'node:crypto';
import { closeSync, fdatasync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PerpetuoError } from '../errors';
import { acquireFileLock } from '../ledger/acquire-file-lock';
import { isProcessAlive as defaultIsProcessAlive } from '../ledger/is-process-alive';
import { type BudgetJournalEntry, budgetJournalEntrySchema } from './budget-journal-entry';
import { computePeriodWindow } from './compute-period-window';
import type { ScopedBudget } from './merge-guardrails';
import { SpendSeries } from './spend-series';
import { promisify } from 'node:util';

const fdatasyncAsync = promisify(fdatasync);

/** Side effects and limits of a budget store. */
export interface BudgetStoreOptions {
  /** Shared by every process that enforces the same budgets (every VS Code window, the endpoint). */
  directory: string;
  now: () => number;
  pid: number;
  isProcessAlive?: (pid: number) => boolean;
  onWarning?: (message: string) => void;
  /** Rewrite the journal once it grows past this. Default 4 MiB. */
  compactAboveBytes?: number;
  /** Settled spend older than this is dropped at compaction. Default 367 days (the longest rolling window). */
  retainMs?: number;
  lockTimeoutMs?: number;
}

/** Where one budget stands at one instant. */
export interface BudgetStatus {
  budget: ScopedBudget;
  spentNanos: number;
  /** Reserved by requests in flight, in every process. */
  reservedNanos: number;
  windowStartMs: number;
  resetsAtMs: number | undefined;
}

/** A request to hold `nanos` against every budget in `budgets`. */
export interface ReservationRequest {
  id: string;
  nanos: number;
  /** Spend buckets the request is charged to (`EffectiveGuardrail.scopeKeys`). */
  scopeKeys: readonly string[];
  budgets: readonly ScopedBudget[];
}

/** Admitted, or refused by the first budget that would be exceeded. */
export type ReserveOutcome = { ok: true } | { ok: false; status: BudgetStatus };

/**
 * Budget state shared by processes through one directory. `reserve` checks and holds in one step
 * under the lock, so concurrent requests — in this process or any other — can never all pass a
 * check that only some of them fit.
 */
export interface BudgetStore {
  reserve(request: ReservationRequest): Promise<ReserveOutcome>;
  /** Replaces a reservation with what was actually spent. */
  settle(id: string, nanos: number, scopeKeys: readonly string[]): Promise<void>;
  /** Drops a reservation: nothing was spent. */
  release(id: string): Promise<void>;
  status(budgets: readonly ScopedBudget[]): Promise<BudgetStatus[]>;
  /**
   * Declares that this store will settle nothing more (extension deactivation): reservations it
   * still holds become orphans, charged in full by the next operation of any store.
   */
  close(): void;
}

const JOURNAL = 'budget-journal.jsonl';
const LOCK = 'budget.lock';
const COALESCE_AFTER_MS = 48 * 3_600_000;
/** Old spend is kept in 15-minute buckets: every UTC offset in use is a multiple of 15 minutes, so local midnights stay bucket edges. */
const BUCKET_MS = 15 * 60_000;

/** Store instances alive in this process: a reservation whose pid is ours but whose owner is not here was left by an earlier life of this pid. */
const liveOwners = new Set<string>();

type Operation =
  | { kind: 'reserve'; request: ReservationRequest; resolve: (outcome: ReserveOutcome) => void; reject: (error: unknown) => void }
  | { kind: 'settle'; id: string; nanos: number; scopeKeys: readonly string[]; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'release'; id: string; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'status'; budgets: readonly ScopedBudget[]; resolve: (status: BudgetStatus[]) => void; reject: (error: unknown) => void };

interface Reservation {
  nanos: number;
  scopes: readonly string[];
  pid: number;
  owner: string;
  at: number;
}

interface SettledEntry {
  at: number;
  nanos: number;
  scopes: readonly string[];
}

/**
 * Opens the budget store of a directory: an append-only journal (`budget-journal.jsonl`) of
 * reserve / settle / release lines, read and appended under `budget.lock`.
 *
 * Every operation queued while the lock is being taken is applied in one batch: one lock, one
 * read of what other processes appended since, one `write`, one `fdatasync`. An operation resolves
 * only after its line is on disk, so an admitted reservation survives a crash of the whole machine.
 * A reservation whose process died is charged in full at the next operation: the provider may
 * have billed that request and nothing else will ever settle it.
 */
export function openBudgetStore(options: BudgetStoreOptions): BudgetStore {
  mkdirSync(options.directory, { recursive: true });
  const journalPath = join(options.directory, JOURNAL);
  const lockPath = join(options.directory, LOCK);
  const owner = randomUUID();
  liveOwners.add(owner);
  const warn = options.onWarning ?? (() => undefined);
  const isProcessAlive = options.isProcessAlive ?? defaultIsProcessAlive;
  const compactAboveBytes = options.compactAboveBytes ?? 4 * 1024 * 1024;
  const retainMs = options.retainMs ?? 367 * 24 * 3_600_000;

  let inode: number | undefined;
  let offset = 0;
  let needsNewline = false;
  /** Size of the journal right after its last compaction: compact again only once it has doubled. */
  let compactedSize = 0;
  let series = new Map<string, SpendSeries>();
  let reservations = new Map<string, Reservation>();
  let reservedByScope = new Map<string, number>();
  let settled: SettledEntry[] = [];

  const queue: Operation[] = [];
  let pumping = false;

  const resetState = (): void => {
    offset = 0;
    needsNewline = false;
    series = new Map();
    reservations = new Map();
    reservedByScope = new Map();
    settled = [];
    compactedSize = 0;
  };

  const apply = (entry: BudgetJournalEntry): void => {
    switch (entry.op) {
      case 'reserve': {
        reservations.set(entry.id, { nanos: entry.nanos, scopes: entry.scopes, pid: entry.pid, owner: entry.owner, at: entry.at });
        for (const scope of entry.scopes) {
          reservedByScope.set(scope, (reservedByScope.get(scope) ?? 0) + entry.nanos);
        }
        return;
      }
      case 'settle': {
        dropReservation(entry.id);
        settled.push({ at: entry.at, nanos: entry.nanos, scopes: entry.scopes });
        for (const scope of entry.scopes) {
          let scopeSeries = series.get(scope);
          if (scopeSeries === undefined) {
            scopeSeries = new SpendSeries();
            series.set(scope, scopeSeries);
          }
          scopeSeries.add(entry.at, entry.nanos);
        }
        return;
      }
      case 'release':
        dropReservation(entry.id);
        return;
      case 'compacted':
        compactedSize = entry.bytes;
        return;
      default: {
        const unreachable: never = entry;
        throw new Error(`unknown journal op ${JSON.stringify(unreachable)}`);
      }
    }
  };

  const dropReservation = (id: string): void => {
    const held = reservations.get(id);
    if (held === undefined) {
      return;
    }
    reservations.delete(id);
    for (const scope of held.scopes) {
      reservedByScope.set(scope, (reservedByScope.get(scope) ?? 0) - held.nanos);
    }
  };

  /** Reads what other processes appended since our last look. Called under the lock. */
  const catchUp = (fd: number): void => {
    const stat = fstatSync(fd);
    if (stat.ino !== inode || stat.size < offset) {
      resetState();
      inode = stat.ino;
    }
    if (stat.size === offset) {
      return;
    }
    const buffer = Buffer.alloc(stat.size - offset);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, offset + read);
      if (n === 0) {
        break;
      }
      read += n;
    }
    const text = buffer.subarray(0, read).toString('utf8');
    const lines = text.split('\n');
    const tail = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') {
        continue;
      }
      const entry = parseLine(line);
      if (entry === undefined) {
        warn(`${journalPath}: skipped a malformed line (${line.slice(0, 80)}); a process probably crashed while writing it.`);
        continue;
      }
      apply(entry);
    }
    if (tail !== '') {
      // Writers append whole lines under the lock, so bytes without a newline here are what a
      // crashed writer left. The next append starts on a fresh line so that they stay isolated.
      warn(`${journalPath}: skipped a torn last line (${tail.slice(0, 80)}) left by a process that stopped mid-write.`);
      needsNewline = true;
    }
    offset += read;
  };

  /** Charges in full the reservations of processes that no longer exist. */
  const sweepOrphans = (nowMs: number, out: BudgetJournalEntry[]): void => {
    const alive = new Map<number, boolean>();
    for (const [id, held] of reservations) {
      if (held.owner === owner || liveOwners.has(held.owner)) {
        continue;
      }
      const isAlive = held.pid !== options.pid && (alive.get(held.pid) ?? isProcessAlive(held.pid));
      alive.set(held.pid, isAlive);
      if (!isAlive) {
        const entry: BudgetJournalEntry = { op: 'settle', id, at: nowMs, nanos: held.nanos, scopes: [...held.scopes], reason: 'owner-exited' };
        apply(entry);
        out.push(entry);
        warn(`Budget reservation ${id} of process ${held.pid}, which exited without settling, was charged in full.`);
      }
    }
  };

  const statusOf = (budget: ScopedBudget, nowMs: number): BudgetStatus => {
    const window = computePeriodWindow(budget.period, nowMs);
    return {
      budget,
      spentNanos: series.get(budget.scopeKey)?.sumSince(window.startMs) ?? 0,
      reservedNanos: reservedByScope.get(budget.scopeKey) ?? 0,
      windowStartMs: window.startMs,
      resetsAtMs: window.resetsAtMs,
    };
  };

  const compact = (nowMs: number): void => {
    const keepAfter = nowMs - retainMs;
    const coalesceBefore = nowMs - COALESCE_AFTER_MS;
    const buckets = new Map<string, SettledEntry>();
    const lines: string[] = [];
    for (const entry of settled) {
      if (entry.at < keepAfter) {
        continue;
      }
      if (entry.at >= coalesceBefore) {
        lines.push(JSON.stringify({ op: 'settle', id: randomUUID(), at: entry.at, nanos: entry.nanos, scopes: entry.scopes, reason: 'compacted' }));
        continue;
      }
      // Stamped at the bucket's last millisecond: exact for calendar periods (bucket edges are
      // local-time edges) and for a rolling window the spend stays counted a little longer, never shorter.
      const bucketEnd = Math.floor(entry.at / BUCKET_MS) * BUCKET_MS + BUCKET_MS - 1;
      const key = `${bucketEnd}|${entry.scopes.join(',')}`;
      const bucket = buckets.get(key);
      buckets.set(key, { at: bucketEnd, nanos: (bucket?.nanos ?? 0) + entry.nanos, scopes: entry.scopes });
    }
    const coalesced = [...buckets.values()].map((entry) => JSON.stringify({ op: 'settle', id: randomUUID(), at: entry.at, nanos: entry.nanos, scopes: entry.scopes, reason: 'compacted' }));
    for (const [id, held] of reservations) {
      lines.push(JSON.stringify({ op: 'reserve', id, at: held.at, nanos: held.nanos, scopes: held.scopes, pid: held.pid, owner: held.owner }));
    }
    const body = [...coalesced, ...lines].map((line) => `${line}\n`).join('');
    const header = `${JSON.stringify({ op: 'compacted', at: nowMs, bytes: Buffer.byteLength(body) + 64 })}\n`;
    const temporary = `${journalPath}.${owner}.tmp`;
    const out = openSync(temporary, 'w');
    try {
      writeSync(out, header + body);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(temporary, journalPath);
    syncDirectory(options.directory);
    inode = undefined; // re-read the compacted file next time, like every other process will
  };

  const runBatch = async (batch: Operation[]): Promise<void> => {
    const lock = await acquireFileLock(lockPath, { pid: options.pid, now: options.now, isProcessAlive, timeoutMs: options.lockTimeoutMs });
    const results: Array<() => void> = [];
    try {
      const fd = openSync(journalPath, 'a+');
      try {
        catchUp(fd);
        const nowMs = options.now();
        const written: BudgetJournalEntry[] = [];
        sweepOrphans(nowMs, written);
        for (const operation of batch) {
          switch (operation.kind) {
            case 'reserve': {
              const { request } = operation;
              const refusal = request.nanos <= 0 ? undefined : request.budgets.map((budget) => statusOf(budget, nowMs)).find((status) => status.spentNanos + status.reservedNanos + request.nanos > status.budget.amountNanos);
              if (refusal !== undefined) {
                results.push(() => operation.resolve({ ok: false, status: refusal }));
                break;
              }
              const entry: BudgetJournalEntry = { op: 'reserve', id: request.id, at: nowMs, nanos: request.nanos, scopes: [...request.scopeKeys], pid: options.pid, owner };
              apply(entry);
              written.push(entry);
              results.push(() => operation.resolve({ ok: true }));
              break;
            }
            case 'settle': {
              const scopes = reservations.get(operation.id)?.scopes ?? operation.scopeKeys;
              const entry: BudgetJournalEntry = { op: 'settle', id: operation.id, at: nowMs, nanos: Math.max(0, Math.round(operation.nanos)), scopes: [...scopes] };
              apply(entry);
              written.push(entry);
              results.push(() => operation.resolve());
              break;
            }
            case 'release': {
              if (reservations.has(operation.id)) {
                const entry: BudgetJournalEntry = { op: 'release', id: operation.id, at: nowMs };
                apply(entry);
                written.push(entry);
              }
              results.push(() => operation.resolve());
              break;
            }
            case 'status': {
              const statuses = operation.budgets.map((budget) => statusOf(budget, nowMs));
              results.push(() => operation.resolve(statuses));
              break;
            }
            default: {
              const unreachable: never = operation;
              throw new Error(`unknown budget operation ${JSON.stringify(unreachable)}`);
            }
          }
        }
        if (written.length > 0) {
          const text = (needsNewline ? '\n' : '') + written.map((entry) => `${JSON.stringify(entry)}\n`).join('');
          const bytes = Buffer.from(text, 'utf8');
          writeAll(fd, bytes);
          // Async: the extension host keeps serving while the disk syncs (the file lock is still held).
          await fdatasyncAsync(fd);
          needsNewline = false;
          offset += bytes.length;
        }
        if (offset > Math.max(compactAboveBytes, 2 * compactedSize)) {
          compact(nowMs);
        }
      } finally {
        closeSync(fd);
      }
    } finally {
      lock.release();
    }
    for (const deliver of results) {
      deliver();
    }
  };

  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, queue.length);
        try {
          await runBatch(batch);
        } catch (error) {
          const failure = PerpetuoError.from(error, { kind: 'config' });
          const wrapped = new PerpetuoError({
            kind: 'budget',
            message: `Budget storage in ${options.directory} failed (${failure.message}); the request is refused because its spend could not be recorded.`,
            cause: error,
          });
          for (const operation of batch) {
            operation.reject(wrapped);
          }
        }
      }
    } finally {
      pumping = false;
    }
  };

  const enqueue = <T>(make: (resolve: (value: T) => void, reject: (error: unknown) => void) => Operation): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(make(resolve, reject));
      if (!pumping) {
        void pump();
      }
    });

  return {
    reserve: (request) => enqueue<ReserveOutcome>((resolve, reject) => ({ kind: 'reserve', request, resolve, reject })),
    settle: (id, nanos, scopeKeys) => enqueue<void>((resolve, reject) => ({ kind: 'settle', id, nanos, scopeKeys, resolve, reject })),
    release: (id) => enqueue<void>((resolve, reject) => ({ kind: 'release', id, resolve, reject })),
    // Every request asks for the status of its budgets; with none there is nothing to read, so
    // no lock and no journal read on that request's path.
    status: (budgets) => (budgets.length === 0 ? Promise.resolve([]) : enqueue<BudgetStatus[]>((resolve, reject) => ({ kind: 'status', budgets, resolve, reject }))),
    close: () => {
      liveOwners.delete(owner);
    },
  };
}

function parseLine(line: string): BudgetJournalEntry | undefined {
  try {
    const parsed = budgetJournalEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written);
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
    // Windows cannot open a directory; its rename is durable once the file is flushed.
  }
}
