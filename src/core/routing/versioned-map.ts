/**
 * One run of versions over the same base map. The writer appends to `history` and `log` (never
 * rewrites them) until it compacts into a new era, so every version of an era stays readable.
 */
interface Era<K, V> {
  /** The contents at `baseVersion`; never changed once the era begins. */
  readonly base: ReadonlyMap<K, V>;
  /** Per key changed since the base: `[version, value, version, value, …]`, oldest first; an undefined value is a deletion. */
  readonly history: Map<K, Array<number | V | undefined>>;
  /** The key changed by each version after the base: version `baseVersion + i + 1` changed `log[i]`. */
  readonly log: K[];
  readonly baseVersion: number;
  /**
   * The era this one was compacted from, until the next compaction: a reader holding a version of
   * it (the planner keeps the last snapshot it planned under) can still learn what changed since.
   */
  previous: Era<K, V> | undefined;
}

/** Changes an era holds before it is compacted, at least: below this, compacting costs more than reading a short history. */
const MIN_CHANGES_PER_ERA = 64;

/**
 * A map that hands out read-only versions of itself ({@link MapVersion}) for the cost of one
 * object, where a copy would cost a hash insert per entry. A change costs a short history
 * append; each version reads through its era's history to the base. Once an era has logged as
 * many changes as its base holds entries, the next change starts a new era from a copy of the
 * contents: copies stay O(1) per change on average, and memory at most twice the contents.
 * Values must not be undefined (undefined marks a deletion).
 */
export class VersionedMap<K, V> {
  private era: Era<K, V> = { base: new Map(), history: new Map(), log: [], baseVersion: 0, previous: undefined };
  private version = 0;
  private count = 0;
  private latest: MapVersion<K, V> | undefined;

  get size(): number {
    return this.count;
  }

  /** The current value of `key`. */
  get(key: K): V | undefined {
    return valueAt(this.era, key, this.version);
  }

  set(key: K, value: V): void {
    this.change(key, value);
  }

  delete(key: K): void {
    if (this.get(key) !== undefined) {
      this.change(key, undefined);
    }
  }

  /** The contents as of now; the same object until the next change. */
  current(): MapVersion<K, V> {
    this.latest ??= new MapVersion(this.era, this.version, this.count);
    return this.latest;
  }

  private change(key: K, value: V | undefined): void {
    if (this.era.log.length >= Math.max(MIN_CHANGES_PER_ERA, this.era.base.size)) {
      const previous = this.era;
      // One era back at most: memory stays bounded by the contents of two eras.
      previous.previous = undefined;
      this.era = { base: new Map(this.current()), history: new Map(), log: [], baseVersion: this.version, previous };
    }
    const had = this.get(key) !== undefined;
    this.version++;
    let history = this.era.history.get(key);
    if (history === undefined) {
      history = [];
      this.era.history.set(key, history);
    }
    history.push(this.version, value);
    this.era.log.push(key);
    this.count += (value === undefined ? 0 : 1) - (had ? 1 : 0);
    this.latest = undefined;
  }
}

/** The contents of a {@link VersionedMap} at one version: never changes, whatever the writer does later. */
export class MapVersion<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly era: Era<K, V>,
    private readonly version: number,
    readonly size: number,
  ) {}

  get(key: K): V | undefined {
    return valueAt(this.era, key, this.version);
  }

  has(key: K): boolean {
    return valueAt(this.era, key, this.version) !== undefined;
  }

  /**
   * The keys whose values may differ between `other` and this version, when both are versions of
   * one era or of two eras one compaction apart (each change since the older one, repeats
   * included); undefined otherwise, and the caller compares entry by entry. Lets a cache derived
   * from one version catch up with another in time proportional to what changed.
   */
  changedKeysSince(other: ReadonlyMap<K, V>): readonly K[] | undefined {
    if (!(other instanceof MapVersion)) {
      return undefined;
    }
    if (other.era === this.era) {
      const from = Math.min(this.version, other.version) - this.era.baseVersion;
      const to = Math.max(this.version, other.version) - this.era.baseVersion;
      return this.era.log.slice(from, to);
    }
    const [older, newer] = other.era === this.era.previous ? [other, this] : this.era === other.era.previous ? [this, other] : [undefined, undefined];
    if (older === undefined || newer === undefined) {
      return undefined;
    }
    // The newer era began where the older one's log ends.
    return older.era.log.slice(older.version - older.era.baseVersion).concat(newer.era.log.slice(0, newer.version - newer.era.baseVersion));
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) {
      callback.call(thisArg, value, key, this);
    }
  }

  /** The base's keys in its order, then keys added since, in the order they were first set. */
  *entries(): MapIterator<[K, V]> {
    const { base, history } = this.era;
    for (const [key, baseValue] of base) {
      const value = history.has(key) ? valueAt(this.era, key, this.version) : baseValue;
      if (value !== undefined) {
        yield [key, value];
      }
    }
    for (const key of history.keys()) {
      if (!base.has(key)) {
        const value = valueAt(this.era, key, this.version);
        if (value !== undefined) {
          yield [key, value];
        }
      }
    }
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) {
      yield key;
    }
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) {
      yield value;
    }
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

function valueAt<K, V>(era: Era<K, V>, key: K, version: number): V | undefined {
  const history = era.history.get(key);
  if (history !== undefined) {
    // Newest first: a version is usually the latest, or close to it.
    for (let at = history.length - 2; at >= 0; at -= 2) {
      if ((history[at] as number) <= version) {
        return history[at + 1] as V | undefined;
      }
    }
  }
  return era.base.get(key);
}
