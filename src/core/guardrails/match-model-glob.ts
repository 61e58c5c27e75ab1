const cache = new Map<string, RegExp>();

/**
 * Model allow/deny globs: `*` matches any run of characters (slashes included, so `*:free` covers
 * every free variant), `?` exactly one; case-insensitive because model ids are published in mixed
 * case by different catalogs.
 */
export function matchModelGlob(pattern: string, modelId: string): boolean {
  let regex = cache.get(pattern);
  if (regex === undefined) {
    const source = pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, 'i');
    cache.set(pattern, regex);
  }
  return regex.test(modelId);
}

/**
 * The globs that admit only models both lists admit. Exact for ids and for a glob nested in
 * another (`anthropic/claude-*` within `anthropic/*`); two globs that merely overlap
 * (`*\/gpt-*` and `openai/*`) have no glob for their intersection, so that pair is dropped: the
 * result may admit fewer models than the true intersection, never more.
 */
export function intersectModelGlobs(left: readonly string[], right: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of left) {
    for (const b of right) {
      if (globIncludes(b, a)) {
        out.add(a);
      } else if (globIncludes(a, b)) {
        out.add(b);
      }
    }
  }
  return [...out];
}

/**
 * Does every id `inner` admits also match `outer`? `outer`'s `*` may absorb any of `inner`'s
 * characters or wildcards; its `?` absorbs one literal or `?`, never a `*` (which may stand for
 * several characters); a literal absorbs only the same literal.
 */
function globIncludes(outer: string, inner: string): boolean {
  const o = outer.toLowerCase();
  const i = inner.toLowerCase();
  const memo = new Map<number, boolean>();
  const walk = (oi: number, ii: number): boolean => {
    const key = oi * (i.length + 1) + ii;
    const known = memo.get(key);
    if (known !== undefined) {
      return known;
    }
    let result: boolean;
    if (oi === o.length) {
      result = ii === i.length;
    } else if (o[oi] === '*') {
      result = walk(oi + 1, ii) || (ii < i.length && walk(oi, ii + 1));
    } else if (ii === i.length) {
      result = false;
    } else if (o[oi] === '?') {
      result = i[ii] !== '*' && walk(oi + 1, ii + 1);
    } else {
      result = o[oi] === i[ii] && i[ii] !== '*' && i[ii] !== '?' && walk(oi + 1, ii + 1);
    }
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}
