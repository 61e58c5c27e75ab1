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
  /** How long a lease takes new requests (see openBudgetStore). Default DEFAULT_LEASE_MS; 0 turns leases off. */
  leaseMs?: number;
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
   * Releases the unused part of every lease once its requests are settled, and resolves when the
   * releases of the idle ones are on disk. For shutdown: a lease still held when the process exits
   * is charged in full, like any reservation of a process that is gone.
   */
  releaseLeases(): Promise<void>;
  /**
   * Declares that this store will settle nothing more (extension deactivation): reservations it
   * still holds become orphans, charged in full by the next operation of any store.
   */
  close(): void;
}

/** How long a lease takes new requests; it is released once its last request is settled. */
export const DEFAULT_LEASE_MS = 1_000;
/** A lease holds this many requests of the size of the one that took it… */
const LEASE_REQUESTS = 16;
/** …but never more than this share of what the tightest budget has left; below that, each request reserves alone. */
const LEASE_SHARE_OF_HEADROOM = 1 / 8;

const JOURNAL = 'budget-journal.jsonl';
const LOCK = 'budget.lock';
const COALESCE_AFTER_MS = 48 * 3_600_000;
/** Old spend is kept in 15-minute buckets: every UTC offset in use is a multiple of 15 minutes, so local midnights stay bucket edges. */
const BUCKET_MS = 15 * 60_000;

/** Store instances alive in this process: a reservation whose pid is ours but whose owner is not here was left by an earlier life of this pid. */
const liveOwners = new Set<string>();

type Operation =
  | { kind: 'reserve'; request: ReservationRequest; resolve: (outcome: ReserveOutcome) => void; reject: (error: unknown) => void }
  /** `entry` was applied to this process's state when settle was called if `appliedEarly`, to the state of `generation`. */
  | { kind: 'settle'; entry: Extract<BudgetJournalEntry, { op: 'settle' }>; appliedEarly: boolean; generation: number; resolve: () => void; reject: (error: unknown) => void }
  /** Made only for a reservation held here, and applied to this process's state when release was called. */
  | { kind: 'release'; entry: Extract<BudgetJournalEntry, { op: 'release' }>; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'status'; budgets: readonly ScopedBudget[]; resolve: (status: BudgetStatus[]) => void; reject: (error: unknown) => void }
  /** Resolves with the sync of the batch it rides in: everything queued before it is then on disk. */
  | { kind: 'flush'; resolve: () => void; reject: (error: unknown) => void };

interface Reservation {
  /** Shrinks as the requests of a lease are settled. */
  nanos: number;
  scopes: readonly string[];
  pid: number;
  owner: string;
  at: number;
}

/**
 * A reservation this process took for several requests: later requests with the same scopes and
 * budgets hold part of it in memory, with no lock and no line, until it is used up or expires.
 */
interface Lease {
  /** The id of its `reserve` line. */
  id: string;
  key: string;
  scopes: string[];
  /** Requests holding part of it, with what each reserved. */
  holds: Map<string, number>;
  heldNanos: number;
  /** Takes no new request from then on (`options.now()` time). */
  until: number;
  timer: ReturnType<typeof setTimeout> | undefined;
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
 * Leases: a reservation taken under the lock may be a lease, made for up to 16 requests of the
 * size of the one that took it, never more than 1/8 of what the tightest of its budgets has left.
 * This process's next requests with the same scopes and budgets hold part of it in memory, with no
 * lock and no line, for `leaseMs`; each one's settlement is written with the lease's id and shrinks
 * it, so for every process spent + reserved never exceeds what the lease was admitted for. Once the
 * lease is used up or expired and its last request has ended, what is left is released. Near a
 * limit (16 requests would take more than 1/8 of what is left) each request reserves alone, as
 * before. What others see as reserved includes a lease's unused part until it is released, and a
 * process that dies holding a lease is charged all of it, like any orphaned reservation.
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
  /** Counts re-reads of the journal from its start: what was applied early to an older state must be applied again. */
  let generation = 0;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  /** The lease new requests draw from, by `leaseKey`. */
  const leases = new Map<string, Lease>();
  /** Every request holding part of a lease (a replaced lease stays here until its last request ends). */
  const holders = new Map<string, Lease>();
  /** Leases not released yet, current or not. */
  const openLeases = new Set<Lease>();

  const resetState = (): void => {
    generation++;
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
        if (entry.lease !== undefined) {
          shrinkReservation(entry.lease, entry.nanos);
        }
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

  const shrinkReservation = (id: string, nanos: number): void => {
    const held = reservations.get(id);
    if (held === undefined) {
      return;
    }
    const by = Math.min(nanos, held.nanos);
    held.nanos -= by;
    for (const scope of held.scopes) {
      reservedByScope.set(scope, (reservedByScope.get(scope) ?? 0) - by);
    }
  };

  /** Takes `request` into `lease` when the lease is current and has room for it. */
  const hold = (lease: Lease, request: ReservationRequest, nowMs: number): boolean => {
    const room = (reservations.get(lease.id)?.nanos ?? 0) - lease.heldNanos;
    if (nowMs >= lease.until || request.nanos > room) {
      return false;
    }
    lease.holds.set(request.id, request.nanos);
    lease.heldNanos += request.nanos;
    holders.set(request.id, lease);
    return true;
  };

  const unhold = (lease: Lease, id: string): void => {
    lease.heldNanos -= lease.holds.get(id) ?? 0;
    lease.holds.delete(id);
    holders.delete(id);
    if (lease.holds.size === 0 && (lease.until <= options.now() || leases.get(lease.key) !== lease)) {
      closeLease(lease);
    }
  };

  /** Releases what is left of a lease none of whose requests is still running. */
  const closeLease = (lease: Lease): Promise<void> => {
    clearTimeout(lease.timer);
    lease.until = 0;
    openLeases.delete(lease);
    if (leases.get(lease.key) === lease) {
      leases.delete(lease.key);
    }
    return releaseHeld(lease.id).catch((error: unknown) => warn(`The unused part of budget lease ${lease.id} was not released (${String(error)}); it stays reserved until this process exits.`));
  };

  /**
   * How much to reserve for `nanos` as a lease, given where its budgets stand; undefined when the
   * request should reserve alone: near a limit every request is checked and held on its own.
   */
  const leaseSize = (nanos: number, statuses: readonly BudgetStatus[]): number | undefined => {
    if (leaseMs <= 0) {
      return undefined;
    }
    if (nanos === 0) {
      return 0;
    }
    const headroom = Math.min(...statuses.map((status) => status.budget.amountNanos - status.spentNanos - status.reservedNanos));
    // Whole requests of this size, so that a burst of alike requests leaves no unusable remainder.
    const requests = Math.min(LEASE_REQUESTS, Math.floor((headroom * LEASE_SHARE_OF_HEADROOM) / nanos));
    return requests < 2 ? undefined : requests * nanos;
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

  /**
   * What `status` reports: this process's leases count as what their running requests hold, not
   * as what they could still take (others see all of it, and the check under the lock counts all of it).
   */
  const withoutUnusedLeases = (status: BudgetStatus): BudgetStatus => {
    let unused = 0;
    for (const lease of openLeases) {
      if (lease.scopes.includes(status.budget.scopeKey)) {
        unused += Math.max(0, (reservations.get(lease.id)?.nanos ?? 0) - lease.heldNanos);
      }
    }
    return unused === 0 ? status : { ...status, reservedNanos: status.reservedNanos - unused };
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
            const key = leaseKey(request);
            const current = leases.get(key);
            // A lease taken earlier in this batch (or since the request was queued) may have room.
            if (current !== undefined && hold(current, request, nowMs)) {
              answers.push(() => operation.resolve({ ok: true }));
              break;
            }
            const statuses = request.budgets.map((budget) => statusOf(budget, nowMs));
            const refusal = request.nanos <= 0 ? undefined : statuses.find((status) => status.spentNanos + status.reservedNanos + request.nanos > status.budget.amountNanos);
            if (refusal !== undefined) {
              answers.push(() => operation.resolve({ ok: false, status: refusal }));
              break;
            }
            const size = leaseSize(request.nanos, statuses);
            const entry: BudgetJournalEntry = {
              op: 'reserve',
              id: size === undefined ? request.id : `lease-${randomUUID()}`,
              at: nowMs,
              nanos: size ?? request.nanos,
              scopes: [...request.scopeKeys],
              pid: options.pid,
              owner,
            };
            apply(entry);
            written.push(entry);
            if (size !== undefined) {
              const lease: Lease = { id: entry.id, key, scopes: entry.scopes, holds: new Map(), heldNanos: 0, until: nowMs + leaseMs, timer: undefined };
              leases.set(key, lease);
              openLeases.add(lease);
              if (current !== undefined && current.holds.size === 0) {
                void closeLease(current);
              }
              hold(lease, request, nowMs);
              // An idle lease is released when it expires; a busy one when its last request ends.
              lease.timer = setTimeout(() => {
                lease.until = 0;
                if (lease.holds.size === 0) void closeLease(lease);
              }, leaseMs);
              lease.timer.unref?.();
            }
            answers.push(() => operation.resolve({ ok: true }));
            break;
          }
          case 'settle': {
            const { entry } = operation;
            // Applied when settle was called, unless the journal was read again from its start since
            // (the file still holds the reservation) or it was never held here.
            if (!operation.appliedEarly || operation.generation !== generation) {
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
            const statuses = operation.budgets.map((budget) => withoutUnusedLeases(statusOf(budget, nowMs)));
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

  /** Drops a reservation held here: counted at once, written with the next batch, like a settlement. */
  const releaseHeld = (id: string): Promise<void> => {
    // Our own reservations are always in memory: one we never made (no budget applied) needs no line.
    if (!reservations.has(id)) {
      return Promise.resolve();
    }
    const entry = { op: 'release' as const, id, at: options.now() };
    apply(entry);
    return enqueue<void>((resolve, reject) => ({ kind: 'release', entry, resolve, reject }));
  };

  return {
    reserve: (request) => {
      // No budget applies to this request: nothing to check and nothing for others to see (its
      // settlement still goes into the journal, so a budget added later counts today's spend).
      if (request.budgets.length === 0) {
        return Promise.resolve({ ok: true });
      }
      // Room in this process's lease: admitted when the lease was, held already for every process.
      const lease = leases.get(leaseKey(request));
      if (lease !== undefined && hold(lease, request, options.now())) {
        return Promise.resolve({ ok: true });
      }
      return enqueue<ReserveOutcome>((resolve, reject) => ({ kind: 'reserve', request, resolve, reject }));
    },
    settle: (id, nanos, scopeKeys) => {
      const lease = holders.get(id);
      if (lease !== undefined) {
        // Spent from a lease: the lease's reservation shrinks by as much, here and, once the line
        // is written, in every process.
        const entry = { op: 'settle' as const, id, at: options.now(), nanos: Math.max(0, Math.round(nanos)), scopes: [...lease.scopes], lease: lease.id };
        apply(entry);
        const written = enqueue<void>((resolve, reject) => ({ kind: 'settle', entry, appliedEarly: true, generation, resolve, reject }));
        unhold(lease, id);
        return written;
      }
      // This process's next reservation sees the settlement at once; the line follows with the next
      // batch (usually that reservation's). Other processes keep seeing the reservation until
      // then, which is never smaller: the delay can only make them stricter.
      const held = reservations.get(id);
      const entry = { op: 'settle' as const, id, at: options.now(), nanos: Math.max(0, Math.round(nanos)), scopes: [...(held?.scopes ?? scopeKeys)] };
      if (held !== undefined) {
        apply(entry);
      }
      return enqueue<void>((resolve, reject) => ({ kind: 'settle', entry, appliedEarly: held !== undefined, generation, resolve, reject }));
    },
    release: (id) => {
      const lease = holders.get(id);
      if (lease !== undefined) {
        // Nothing was spent: what it held goes back to the lease, and nothing is written.
        unhold(lease, id);
        return Promise.resolve();
      }
      return releaseHeld(id);
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
      return Promise.resolve(budgets.map((budget) => withoutUnusedLeases(statusOf(budget, nowMs))));
    },
    flush: () => enqueue<void>((resolve, reject) => ({ kind: 'flush', resolve, reject })),
    releaseLeases: async () => {
      const idle: Array<Promise<void>> = [];
      for (const lease of [...leases.values()]) {
        leases.delete(lease.key);
        lease.until = 0;
        if (lease.holds.size === 0) idle.push(closeLease(lease));
      }
      await Promise.all(idle);
    },
    close: () => {
      liveOwners.delete(owner);
      for (const lease of leases.values()) clearTimeout(lease.timer);
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

/** Requests may share a lease when they count against the same scopes under the same budgets. */
function leaseKey(request: ReservationRequest): string {
  return `${request.scopeKeys.join('\u0000')}\u0001${request.budgets.map((budget) => `${budget.id}=${budget.amountNanos}`).join('\u0000')}`;
}
