/**
 * One case-insensitive RegExp for a list of globs (`*` any run of characters including `/`,
 * `?` one character), so a candidate is tested once per list rather than once per glob.
 * Returns undefined for an absent or empty list, which callers read as "no constraint".
 */
export function compileGlobs(globs: readonly string[] | undefined): RegExp | undefined {
  if (globs === undefined || globs.length === 0) {
    return undefined;
  }
  const alternatives = globs.map((glob) =>
    glob
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join(''),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
}
