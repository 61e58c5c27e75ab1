/**
 * The candidates closest to `input` by edit distance, best first, for "did you mean" hints. A
 * candidate like `anthropic/claude-sonnet-4.5` is also compared by its part after the last `/`,
 * so a bare `claude-sonet-4.5` still finds it.
 */
export function findCloseMatches(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const threshold = Math.max(2, Math.floor(needle.length / 3));
  const scored: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const slash = lower.lastIndexOf('/');
    const distance = Math.min(
      editDistance(needle, lower),
      slash >= 0 && !needle.includes('/') ? editDistance(needle, lower.slice(slash + 1)) : Number.POSITIVE_INFINITY,
    );
    if (distance <= threshold || (needle.length >= 4 && lower.includes(needle))) {
      scored.push({ candidate, distance });
    }
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  // Only the nearest few: when one name is a typo away, names four edits away are noise.
  const best = scored[0]?.distance ?? 0;
  return scored
    .filter((entry) => entry.distance <= best + 1)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** Levenshtein distance with one reused row: O(|a|·|b|) time, O(|b|) memory. */
function editDistance(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) {
    row[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}
