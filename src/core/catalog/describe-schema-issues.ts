import type { z } from 'zod';

/**
 * Turns zod issues into one readable sentence that names each bad field by its path and shows
 * the value found there, e.g. `models[3].endpoints[0].pricing.input: expected string, got
 * 0.003`. Callers prefix it with the source (file path, URL) so a user knows where to look.
 */
export function describeSchemaIssues(error: z.ZodError, root: unknown, prefix: ReadonlyArray<string | number> = [], limit = 3): string {
  const shown = error.issues.slice(0, limit).map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    const found = describeValue(valueAt(root, issue.path));
    return `${path || '(root)'}: ${issue.message}${found ? `, got ${found}` : ''}`;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more problem${more === 1 ? '' : 's'})` : shown.join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
