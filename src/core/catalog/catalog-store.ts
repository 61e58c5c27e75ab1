import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PerpetuoError } from '../errors';
import { Catalog } from './catalog';
import type { CatalogSnapshot } from './catalog-snapshot-schema';
import type { CatalogWarning } from './catalog-warning';
import { loadBundledCatalog } from './load-bundled-catalog';
import { parseCatalogSnapshot } from './parse-catalog-snapshot';
import { serializeCatalogSnapshot } from './serialize-catalog-snapshot';

export const CATALOG_CACHE_FILE = 'catalog-cache.json';

/** A day: OpenRouter prices change a few times a week, and the router's own metrics cover the minutes. */
export const DEFAULT_CATALOG_TTL_MS = 24 * 60 * 60 * 1000;

export interface CatalogStoreOptions {
  /** Where the cache file lives (the extension's global storage, a temp dir in tests). */
  directory: string;
  now?: () => Date;
  ttlMs?: number;
  /** The live source; without one the store serves the cache or the snapshot and never refreshes. */
  refresh?: (base: CatalogSnapshot, signal?: AbortSignal) => Promise<{ snapshot: CatalogSnapshot; warnings: CatalogWarning[] }>;
  /** The offline fallback and the base a refresh is laid over; defaults to the bundled snapshot. */
  bundled?: () => { snapshot: CatalogSnapshot; warnings: CatalogWarning[] };
  onWarning?: (warning: CatalogWarning) => void;
  /** Called with the new catalog after a successful refresh. */
  onUpdate?: (catalog: Catalog) => void;
  /** Names the temporary file of an atomic write. */
  randomId?: () => string;
}

/** Where the catalog `load()` returned came from. */
export type CatalogOrigin = 'cache-fresh' | 'cache-stale' | 'bundled';

export interface CatalogLoadResult {
  catalog: Catalog;
  origin: CatalogOrigin;
  warnings: CatalogWarning[];
  /** The background refresh started by this load (stale or missing cache), resolving to the new catalog or undefined on failure. */
  refreshing?: Promise<Catalog | undefined>;
}

/**
 * The catalog's disk cache. `load()` answers at once: the cache if it is younger than the TTL,
 * else the stale cache while a refresh runs in the background, else the bundled snapshot (also
 * refreshing). A cache file that fails validation is moved aside for inspection, never deleted,
 * and the snapshot is used. Writes go to a temporary file renamed over the cache, so a crash
 * mid-write cannot leave a torn file.
 */
export class CatalogStore {
  readonly cachePath: string;
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private inFlight: Promise<Catalog> | undefined;
  private bundledCache: { snapshot: CatalogSnapshot; warnings: CatalogWarning[] } | undefined;

  constructor(private readonly options: CatalogStoreOptions) {
    this.cachePath = join(options.directory, CATALOG_CACHE_FILE);
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? DEFAULT_CATALOG_TTL_MS;
  }

  async load(): Promise<CatalogLoadResult> {
    const warnings: CatalogWarning[] = [];
    const bundled = this.bundled();
    warnings.push(...bundled.warnings);
    const cached = await this.readCache(warnings);

    let origin: CatalogOrigin;
    let snapshot: CatalogSnapshot;
    if (cached) {
      const age = this.now().getTime() - Date.parse(cached.generatedAt);
      // A cache older than the shipped snapshot predates an extension update: refresh it.
      const outdated = Date.parse(cached.generatedAt) < Date.parse(bundled.snapshot.generatedAt);
      origin = age >= 0 && age <= this.ttlMs && !outdated ? 'cache-fresh' : 'cache-stale';
      snapshot = cached;
    } else {
      origin = 'bundled';
      snapshot = bundled.snapshot;
    }
    for (const warning of warnings) {
      this.options.onWarning?.(warning);
    }
    const result: CatalogLoadResult = { catalog: new Catalog(snapshot), origin, warnings };
    if (origin !== 'cache-fresh' && this.options.refresh) {
      result.refreshing = this.refreshNow().catch((error: unknown) => {
        this.options.onWarning?.({ source: 'live refresh', message: `failed, keeping the ${origin === 'bundled' ? 'bundled snapshot' : 'stale cache'}: ${PerpetuoError.from(error, { kind: 'network' }).message}` });
        return undefined;
      });
    }
    return result;
  }

  /** Fetches, validates and caches a new catalog now; concurrent calls share one fetch. */
  refreshNow(signal?: AbortSignal): Promise<Catalog> {
    this.inFlight ??= this.doRefresh(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async doRefresh(signal?: AbortSignal): Promise<Catalog> {
    const refresh = this.options.refresh;
    if (!refresh) {
      throw new PerpetuoError({ kind: 'config', message: 'The catalog store has no live source to refresh from.' });
    }
    const fetched = await refresh(this.bundled().snapshot, signal);
    // Round-trip through JSON so that what is validated is exactly what will be read back.
    const { snapshot, warnings } = parseCatalogSnapshot(JSON.parse(serializeCatalogSnapshot(fetched.snapshot)), 'the live catalog refresh');
    for (const warning of [...fetched.warnings, ...warnings]) {
      this.options.onWarning?.(warning);
    }
    await this.writeAtomically(serializeCatalogSnapshot(snapshot));
    const catalog = new Catalog(snapshot);
    this.options.onUpdate?.(catalog);
    return catalog;
  }

  private bundled(): { snapshot: CatalogSnapshot; warnings: CatalogWarning[] } {
    this.bundledCache ??= (this.options.bundled ?? loadBundledCatalog)();
    return this.bundledCache;
  }

  private async readCache(warnings: CatalogWarning[]): Promise<CatalogSnapshot | undefined> {
    const source = `the catalog cache file ${this.cachePath}`;
    let text: string;
    try {
      text = await readFile(this.cachePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        warnings.push({ source, message: `could not be read (${(error as Error).message}); using the bundled snapshot.` });
      }
      return undefined;
    }
    try {
      const parsed = parseCatalogSnapshot(JSON.parse(text) as unknown, source);
      warnings.push(...parsed.warnings);
      return parsed.snapshot;
    } catch (error) {
      const reason = error instanceof SyntaxError ? `is not valid JSON (${error.message})` : `failed validation (${(error as Error).message})`;
      const keptAt = await this.setAside();
      warnings.push({
        source,
        message: `${reason}; ${keptAt ? `kept for inspection at ${keptAt}` : 'left in place'} and using the bundled snapshot until the next refresh.`,
      });
      return undefined;
    }
  }

  /** Moves a bad cache file out of the way, so the next write cannot overwrite the evidence. */
  private async setAside(): Promise<string | undefined> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const target = `${this.cachePath}.invalid-${stamp}`;
    try {
      await rename(this.cachePath, target);
      return target;
    } catch {
      return undefined;
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    await mkdir(this.options.directory, { recursive: true });
    const temp = `${this.cachePath}.${(this.options.randomId ?? randomUUID)()}.tmp`;
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.cachePath);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new PerpetuoError({ kind: 'config', message: `Could not write the catalog cache ${this.cachePath}: ${(error as Error).message}.`, cause: error });
    }
  }
}
