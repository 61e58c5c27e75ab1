/** A map or weak map, as {@link getOrCreate} uses it. */
interface KeyedStore<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/**
 * The value `store` holds for `key`; the first time, the one `create` makes of the key, kept.
 * The planner keeps a dozen derived tables this way (per catalog, per snapshot, per set of open
 * circuits): one lookup when the table exists, which it does on every plan after the first.
 */
export function getOrCreate<K, V>(store: KeyedStore<K, V>, key: K, create: (key: K) => V): V {
  const kept = store.get(key);
  if (kept !== undefined) {
    return kept;
  }
  const made = create(key);
  store.set(key, made);
  return made;
}
