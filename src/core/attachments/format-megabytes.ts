/**
 * `25_270_000` → `25.3 MB`: decimal megabytes with one decimal (trailing `.0` dropped), the unit
 * providers quote their limits in. Below 0.1 MB it shows kB so that a small file never reads "0 MB".
 */
export function formatMegabytes(bytes: number): string {
  if (bytes < 100_000) {
    return `${trimZero((bytes / 1000).toFixed(1))} kB`;
  }
  return `${trimZero((bytes / 1_000_000).toFixed(1))} MB`;
}

function trimZero(text: string): string {
  return text.replace(/\.0$/, '');
}
