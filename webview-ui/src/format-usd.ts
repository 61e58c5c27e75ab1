/**
 * Dollars as a developer reads a bill: cents for amounts of a dollar or more, and enough
 * significant digits below that for a $0.0004 request not to show as $0.00.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  const sign = usd < 0 ? '−' : '';
  const abs = Math.abs(usd);
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `${sign}$${abs.toFixed(abs >= 0.1 ? 2 : 3)}`;
  return `${sign}$${abs.toPrecision(2).replace(/0+$/, '')}`;
}
