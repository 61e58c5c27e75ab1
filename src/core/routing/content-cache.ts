/** What a {@link ContentCache} entry is found by: strings and lists of strings, compared item by item. */
export type ContentKey = ReadonlyArray<string | readonly string[] | undefined>;

/**
 * A few values kept by the content of their key: strings and string lists (glob lists, open
 * circuits), compared item by item. The engine builds a new policy, with new arrays, for every
 * request, so a cache by object misses every time; comparing a handful of short lists costs less
 * than serialising them into a key to hash. The key is copied when stored, so a list edited in
 * place later never finds what was kept for its old content. Most recently used first; beyond
 * `capacity` entries the least recently used goes.
 */
export class ContentCache<V> {
  private readonly entries: Array<{ key: ContentKey; value: V }> = [];

  constructor(private readonly capacity: number) {}

  /** The entry kept for content equal to `key`'s (its `value` may itself be undefined); undefined when none is. */
  get(key: ContentKey): { readonly value: V } | undefined {
    for (let at = 0; at < this.entries.length; at++) {
      const entry = this.entries[at];
      if (entry !== undefined && sameKey(entry.key, key)) {
        if (at > 0) {
          this.entries.splice(at, 1);
          this.entries.unshift(entry);
        }
        return entry;
      }
    }
    return undefined;
  }

  set(key: ContentKey, value: V): void {
    this.entries.unshift({ key: key.map((part) => (typeof part === 'object' ? [...part] : part)), value });
    if (this.entries.length > this.capacity) {
      this.entries.pop();
    }
  }
}

function sameKey(a: ContentKey, b: ContentKey): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let at = 0; at < a.length; at++) {
    const left = a[at];
    const right = b[at];
    if (left === right) {
      continue;
    }
    if (typeof left !== 'object' || typeof right !== 'object' || left.length !== right.length) {
      return false;
    }
    for (let item = 0; item < left.length; item++) {
      if (left[item] !== right[item]) {
        return false;
      }
    }
  }
  return true;
}
