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
    for (const text of candidate.texts) {
      best = Math.max(best, similarity(wanted, text.toLowerCase()));
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
  const editScore = 1 - levenshtein(a, b) / Math.max(a.length, b.length);
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
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
