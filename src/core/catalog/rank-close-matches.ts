/**
 * Ranks candidate names by how close they are to what the user typed, for "unknown model X; did
 * you mean …" errors. Two measures, the better one wins: edit distance (catches typos,
 * `claude-sonet-4.5`) and token overlap (catches reordered or partial names, `sonnet 4.5`).
 */
export function rankCloseMatches(query: string, candidates: ReadonlyArray<{ key: string; texts: readonly string[] }>, limit = 5): string[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') {
    return [];
  }
  const scored: Array<{ key: string; score: number }> = [];
  for (const candidate of candidates) {
    let best = 0;
    for (const text of new Set(candidate.texts.map((t) => t.toLowerCase()))) {
      best = Math.max(best, similarity(wanted, text));
    }
    if (best >= MIN_SIMILARITY) {
      scored.push({ key: candidate.key, score: best });
    }
  }
  scored.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  return scored.slice(0, limit).map((entry) => entry.key);
}

/** Below this a suggestion is noise rather than help. */
const MIN_SIMILARITY = 0.5;

function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  // The distance is at least the length difference: skip the O(n·m) pass when it cannot reach the bar.
  const editScore = Math.abs(a.length - b.length) / longest > 1 - MIN_SIMILARITY ? 0 : 1 - levenshtein(a, b) / longest;
  const ta = tokens(a);
  const tb = tokens(b);
  const shared = [...ta].filter((t) => tb.has(t)).length;
  // Overlap is measured against the query's tokens: "sonnet 4.5" fully names anthropic/claude-sonnet-4.5.
  const overlapScore = ta.size === 0 ? 0 : (shared / ta.size) * (shared / Math.max(ta.size, tb.size)) ** 0.25;
  return Math.max(editScore, overlapScore);
}

function tokens(text: string): Set<string> {
  return new Set(text.split(/[\s/:_-]+/).filter((t) => t.length > 0));
}

function levenshtein(a: string, b: string): number {
  let previous = new Uint16Array(b.length + 1).map((_, i) => i);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}
