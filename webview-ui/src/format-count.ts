/** Token and request counts: exact with separators below 100,000, then 123k / 4.5M, as columns are narrow. */
export function formatCount(value: number | undefined): string {
  if (value === undefined) return '—';
  if (Math.abs(value) < 100_000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) < 1_000_000) return `${Math.round(value / 1000)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}
