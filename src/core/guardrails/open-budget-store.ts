import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PerpetuoError } from '../errors';
import { createLockedBatches, DEFAULT_GATHER_MS, DEFAULT_SYNC_DELAY_MS, isProcessAlive as defaultIsProcessAlive, openJournalFile, type TailPolicy } from '../journal';
import { type BudgetJournalEntry, budgetJournalEntrySchema } from './budget-journal-entry';
import { computePeriodWindow } from './compute-period-window';
import type { ScopedBudget } from './merge-guardrails';
import { SpendSeries } from './spend-series';

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
  /** How long settlements gather before their shared `fdatasync` starts (see JournalFileOptions.syncDelayMs). Default DEFAULT_SYNC_DELAY_MS. */
  syncDelayMs?: number;
  /** How long settlements and releases wait for a batch to ride with (see LockedBatchOptions.gatherMs). Default DEFAULT_GATHER_MS. */
  gatherMs?: number;
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
   * Resolves once every settlement and release made before the call is written and synced. They
   * count in this process at once, but their lines go with a later batch; another process (or a
   * test reading the journal) sees them after this.
   */
  flush(): Promise<void>;
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
  /** `entry` was applied to this process's state when settle was called if `appliedEarly`. */
  | { kind: 'settle'; entry: Extract<BudgetJournalEntry, { op: 'settle' }>; appliedEarly: boolean; resolve: () => void; reject: (error: unknown) => void }
  /** Made only for a reservation held here, and applied to this process's state when release was called. */
  | { kind: 'release'; entry: Extract<BudgetJournalEntry, { op: 'release' }>; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'status'; budgets: readonly ScopedBudget[]; resolve: (status: BudgetStatus[]) => void; reject: (error: unknown) => void }
  /** Resolves with the sync of the batch it rides in: everything queued before it is then on disk. */
  | { kind: 'flush'; resolve: () => void; reject: (error: unknown) => void };

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
 * reserve / settle / release lines, appended under `budget.lock` (src/core/journal).
 *
 * Operations queued while the lock is being taken run as one batch: one lock, one read of what
 * other processes appended since, one `write`. What each line needs differs:
 * - a reservation needs to be seen by every other process before it counts, not to survive a
 *   power cut (the request it holds for dies with the machine), so it resolves once written;
 * - a settlement or release is spend history, so it resolves only after a group `fdatasync`. It
 *   counts in this process at once; its line goes with the next batch (usually the next
 *   reservation's, at most `gatherMs` later) and shares one sync with the `syncDelayMs` window.
 *   Settling runs after the answer has gone to the client; until it is written the reservation,
 *   which is never smaller, keeps holding the budget.
 * A request with no budget to check reserves nothing, and `status` reads the journal without the
 * lock, only when its inode or size changed. A reservation whose process died is charged in full
 * by the next locked operation: the provider may have billed that request and nothing else will
 * ever settle it.
 */
export function openBudgetStore(options: BudgetStoreOptions): BudgetStore {
  mkdirSync(options.directory, { recursive: true });
  const journalPath = join(options.directory, JOURNAL);
  const owner = randomUUID();
  liveOwners.add(owner);
  const warn = options.onWarning ?? (() => undefined);
  const isProcessAlive = options.isProcessAlive ?? defaultIsProcessAlive;
  const compactAboveBytes = options.compactAboveBytes ?? 4 * 1024 * 1024;
  const retainMs = options.retainMs ?? 367 * 24 * 3_600_000;

  /** Size of the journal right after its last compaction: compact again only once it has doubled. */
  let compactedSize = 0;
  let series = new Map<string, SpendSeries>();
  let reservations = new Map<string, Reservation>();
  let reservedByScope = new Map<string, number>();
  let settled: SettledEntry[] = [];

  const resetState = (): void => {
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

  const journal = openJournalFile(journalPath, {
    onLine: (line) => {
      const entry = parseLine(line);
      if (entry === undefined) {
        warn(`${journalPath}: skipped a malformed line (${line.slice(0, 80)}); a process probably crashed while writing it.`);
        return;
      }
      apply(entry);
    },
    // Only reported under the lock ('skip'), where no write can be in progress: the next append
    // starts on a fresh line, so these bytes stay isolated.
    onTornTail: (preview) => warn(`${journalPath}: skipped a torn last line (${preview}) left by a process that stopped mid-write.`),
    syncDelayMs: options.syncDelayMs ?? DEFAULT_SYNC_DELAY_MS,
  });

  /** Reads what other processes appended since our last look; starts over if the journal was compacted. */
  const catchUp = (tail: TailPolicy): void => {
    if (journal.read(tail) === 'replaced') {
      resetState();
      journal.read(tail);
    }
  };

  /** A reservation nobody will settle: its process is gone, or it is an earlier life of our pid. */
  const isOrphan = (held: Reservation, alive: Map<number, boolean>): boolean => {
    if (held.owner === owner || liveOwners.has(held.owner)) {
      return false;
    }
    const isAlive = held.pid !== options.pid && (alive.get(held.pid) ?? isProcessAlive(held.pid));
    alive.set(held.pid, isAlive);
    return !isAlive;
  };

  const hasOrphans = (): boolean => {
    const alive = new Map<number, boolean>();
    for (const held of reservations.values()) {
      if (isOrphan(held, alive)) return true;
    }
    return false;
  };

  /** Charges in full the reservations of processes that no longer exist. Under the lock. */
  const sweepOrphans = (nowMs: number, out: BudgetJournalEntry[]): void => {
    const alive = new Map<number, boolean>();
    for (const [id, held] of reservations) {
      if (isOrphan(held, alive)) {
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
    const body = [...coalesced, ...lines];
    const bytes = body.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    // Every process re-reads the compacted file from its start, this one included.
    journal.replace([JSON.stringify({ op: 'compacted', at: nowMs, bytes: bytes + 64 }), ...body], owner);
  };

  const runBatch = (batch: Operation[]): void => {
    const nowMs = options.now();
    const answers: Array<() => void> = [];
    const durable: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
    /** Decides every operation on the journal as just read; returns the lines to append. */
    const decide = (): string[] => {
      const written: BudgetJournalEntry[] = [];
      sweepOrphans(nowMs, written);
      for (const operation of batch) {
        switch (operation.kind) {
          case 'reserve': {
            const { request } = operation;
            const refusal = request.nanos <= 0 ? undefined : request.budgets.map((budget) => statusOf(budget, nowMs)).find((status) => status.spentNanos + status.reservedNanos + request.nanos > status.budget.amountNanos);
            if (refusal !== undefined) {
              answers.push(() => operation.resolve({ ok: false, status: refusal }));
              break;
            }
            const entry: BudgetJournalEntry = { op: 'reserve', id: request.id, at: nowMs, nanos: request.nanos, scopes: [...request.scopeKeys], pid: options.pid, owner };
            apply(entry);
            written.push(entry);
            answers.push(() => operation.resolve({ ok: true }));
            break;
          }
          case 'settle': {
            const { entry } = operation;
            // Applied when settle was called, unless the journal was replaced since (the state was
            // read again from the file, which still holds the reservation) or it was never held here.
            if (!operation.appliedEarly || reservations.has(entry.id)) {
              apply(entry);
            }
            written.push(entry);
            durable.push(operation);
            break;
          }
          case 'release': {
            const { entry } = operation;
            // Applied when release was called, unless the journal was replaced since (read again).
            if (reservations.has(entry.id)) {
              apply(entry);
            }
            written.push(entry);
            durable.push(operation);
            break;
          }
          case 'flush':
            durable.push(operation);
            break;
          case 'status': {
            const statuses = operation.budgets.map((budget) => statusOf(budget, nowMs));
            answers.push(() => operation.resolve(statuses));
            break;
          }
          default: {
            const unreachable: never = operation;
            throw new Error(`unknown budget operation ${JSON.stringify(unreachable)}`);
          }
        }
      }
      return written.map((entry) => JSON.stringify(entry));
    };
    if (journal.update('skip', decide) === 'replaced') {
      resetState();
      journal.update('skip', decide);
    }
    if (journal.offset > Math.max(compactAboveBytes, 2 * compactedSize)) {
      compact(nowMs);
    }
    for (const answer of answers) {
      answer();
    }
    if (durable.length > 0) {
      journal.flush().then(
        () => durable.forEach((operation) => operation.resolve()),
        (error: unknown) => durable.forEach((operation) => operation.reject(storageFailure(error))),
      );
    }
  };

  const storageFailure = (error: unknown): PerpetuoError => {
    const failure = PerpetuoError.from(error, { kind: 'config' });
    return new PerpetuoError({
      kind: 'budget',
      message: `Budget storage in ${options.directory} failed (${failure.message}); the request is refused because its spend could not be recorded.`,
      cause: error,
    });
  };

  const submit = createLockedBatches<Operation>({
    lockPath: join(options.directory, LOCK),
    lock: { pid: options.pid, now: options.now, isProcessAlive, timeoutMs: options.lockTimeoutMs },
    run: runBatch,
    // Settlements and releases wait for a sync in progress or the gather window, and share the
    // next batch; reservations and status reads (a request is waiting for them) go at once.
    syncInProgress: () => journal.syncInProgress(),
    isUrgent: (operation) => operation.kind === 'reserve' || operation.kind === 'status',
    gatherMs: options.gatherMs ?? DEFAULT_GATHER_MS,
    fail: (batch, error) => {
      const wrapped = storageFailure(error);
      for (const operation of batch) {
        operation.reject(wrapped);
      }
    },
  });

  const enqueue = <T>(make: (resolve: (value: T) => void, reject: (error: unknown) => void) => Operation): Promise<T> =>
    new Promise<T>((resolve, reject) => submit(make(resolve, reject)));

  return {
    reserve: (request) =>
      // No budget applies to this request: nothing to check and nothing for others to see (its
      // settlement still goes into the journal, so a budget added later counts today's spend).
      request.budgets.length === 0 ? Promise.resolve({ ok: true }) : enqueue<ReserveOutcome>((resolve, reject) => ({ kind: 'reserve', request, resolve, reject })),
    settle: (id, nanos, scopeKeys) => {
      // This process's next reservation sees the settlement at once; the line follows with the next
      // batch (usually that reservation's). Other processes keep seeing the reservation until
      // then, which is never smaller: the delay can only make them stricter.
      const held = reservations.get(id);
      const entry = { op: 'settle' as const, id, at: options.now(), nanos: Math.max(0, Math.round(nanos)), scopes: [...(held?.scopes ?? scopeKeys)] };
      if (held !== undefined) {
        apply(entry);
      }
      return enqueue<void>((resolve, reject) => ({ kind: 'settle', entry, appliedEarly: held !== undefined, resolve, reject }));
    },
    // Our own reservations are always in memory: one we never made (no budget applied) needs no line.
    release: (id) => {
      if (!reservations.has(id)) {
        return Promise.resolve();
      }
      // Like a settlement: counted here at once, written with the next batch.
      const entry = { op: 'release' as const, id, at: options.now() };
      apply(entry);
      return enqueue<void>((resolve, reject) => ({ kind: 'release', entry, resolve, reject }));
    },
    status: (budgets) => {
      // Every request asks for the status of its budgets (near-limit warnings and downgrades).
      // It is advisory — `reserve` is the check that holds — so it reads without the lock, and
      // reads nothing when the journal has not changed since the last look.
      if (budgets.length === 0) {
        return Promise.resolve([]);
      }
      try {
        if (journal.hasChanged()) {
          catchUp('wait');
        }
      } catch (error) {
        return Promise.reject(storageFailure(error));
      }
      if (hasOrphans()) {
        return enqueue<BudgetStatus[]>((resolve, reject) => ({ kind: 'status', budgets, resolve, reject }));
      }
      const nowMs = options.now();
      return Promise.resolve(budgets.map((budget) => statusOf(budget, nowMs)));
    },
    flush: () => enqueue<void>((resolve, reject) => ({ kind: 'flush', resolve, reject })),
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
