import type { RecordRow, RecordsPage } from '../../src/shared/webview-protocol';

/**
 * The decision log's rows as far as the webview has them: fixed-size pages fetched on demand
 * for the rows in view, at most `maxPages` kept (least recently used dropped first), so a log of
 * any length costs the webview a few hundred rows. After {@link invalidate} (a record arrived)
 * the old rows stay on screen until their fresh page replaces them, so the table never flashes.
 */
export class RecordPageCache {
  /** Matching rows in all; undefined until the first page arrives. */
  total: number | undefined;
  error: string | undefined;
  private pages = new Map<number, RecordRow[]>();
  private stale = new Map<number, RecordRow[]>();
  private readonly pending = new Set<number>();
  private generation = 0;

  constructor(
    private readonly fetchPage: (offset: number, limit: number) => Promise<RecordsPage>,
    private readonly onChange: () => void,
    readonly pageSize = 100,
    private readonly maxPages = 12,
  ) {}

  /** New filters: forget everything. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.stale.clear();
    this.pending.clear();
    this.total = undefined;
    this.error = undefined;
  }

  /** The log changed under the same filters: refetch what is asked for next, show the old rows meanwhile. */
  invalidate(): void {
    this.generation++;
    for (const [page, rows] of this.pages) this.stale.set(page, rows);
    this.pages.clear();
    this.pending.clear();
  }

  rowAt(index: number): RecordRow | undefined {
    const page = Math.floor(index / this.pageSize);
    const rows = this.pages.get(page) ?? this.stale.get(page);
    return rows?.[index - page * this.pageSize];
  }

  /** Whether the page holding `index` has been fetched (under the current generation). */
  has(index: number): boolean {
    return this.pages.has(Math.floor(index / this.pageSize));
  }

  /** Fetches the pages covering rows [first, last] that are neither held nor on their way. */
  ensure(first: number, last: number): void {
    const lastRow = this.total === undefined ? last : Math.min(last, this.total - 1);
    if (lastRow < first && this.total !== undefined) return;
    const firstPage = Math.floor(Math.max(0, first) / this.pageSize);
    const lastPage = Math.floor(Math.max(first, lastRow) / this.pageSize);
    for (let page = firstPage; page <= lastPage; page++) {
      const rows = this.pages.get(page);
      if (rows !== undefined) {
        // Touch: a Map iterates in insertion order, so re-inserting marks it most recently used.
        this.pages.delete(page);
        this.pages.set(page, rows);
        continue;
      }
      if (!this.pending.has(page)) void this.load(page, firstPage, lastPage);
    }
  }

  /** Retries after an error. */
  retry(first: number, last: number): void {
    this.error = undefined;
    this.ensure(first, last);
  }

  private async load(page: number, keepFrom: number, keepTo: number): Promise<void> {
    const generation = this.generation;
    this.pending.add(page);
    try {
      const result = await this.fetchPage(page * this.pageSize, this.pageSize);
      if (generation !== this.generation) return;
      this.pending.delete(page);
      this.pages.set(page, result.rows);
      this.stale.delete(page);
      this.total = result.total;
      this.error = undefined;
      this.evict(keepFrom, keepTo);
    } catch (error) {
      if (generation !== this.generation) return;
      this.pending.delete(page);
      this.error = error instanceof Error ? error.message : String(error);
    }
    this.onChange();
  }

  private evict(keepFrom: number, keepTo: number): void {
    for (const page of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (page >= keepFrom && page <= keepTo) continue;
      this.pages.delete(page);
    }
    // Stale rows only bridge the moment until fresh ones arrive; past the total they are wrong.
    if (this.total !== undefined) {
      for (const page of this.stale.keys()) {
        if (page * this.pageSize >= this.total) this.stale.delete(page);
      }
    }
    while (this.stale.size > this.maxPages) {
      const oldest = this.stale.keys().next().value;
      if (oldest === undefined) break;
      this.stale.delete(oldest);
    }
  }
}
