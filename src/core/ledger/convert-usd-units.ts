/**
 * Money in Perpetuo is never a float that gets added up. Prices are parsed from their published
 * decimal strings into exact attodollars (10⁻¹⁸ USD, bigint) so that a per-token price such as
 * `0.0000000375` multiplies exactly; amounts that are stored, summed and compared against budgets
 * are integer nanodollars (10⁻⁹ USD, a safe JS integer up to $9 million). Floats appear only at
 * the edges: a provider-reported cost arriving as a JSON number, and the USD shown to the user.
 */

/** 1 USD in attodollars. */
export const ATTO_PER_USD = 10n ** 18n;
/** 1 nanodollar in attodollars. */
const ATTO_PER_NANO = 10n ** 9n;
/** 1 USD in nanodollars. */
export const NANOS_PER_USD = 1_000_000_000;

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a published USD decimal string (`"0.000003"`, `"3e-6"`, `"0"`) into exact attodollars.
 * Returns undefined for anything that is not a non-negative decimal: OpenRouter publishes `"-1"`
 * for "variable" prices (openrouter/auto), which must read as unknown, never as a discount.
 * Digits beyond 10⁻¹⁸ are rounded half-up.
 */
export function parseUsdDecimal(text: string | undefined): bigint | undefined {
  if (text === undefined) {
    return undefined;
  }
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0');
  // value = digits × 10^(exponent − fraction.length); we want value × 10^18.
  const digits = BigInt(whole + fraction);
  const shift = 18 + exponent - fraction.length;
  if (shift >= 0) {
    return digits * 10n ** BigInt(shift);
  }
  const divisor = 10n ** BigInt(-shift);
  return (digits + divisor / 2n) / divisor;
}

/** Attodollars to nanodollars, rounded half-up (what we charge). */
export function attoToNanos(atto: bigint): number {
  return Number((atto + ATTO_PER_NANO / 2n) / ATTO_PER_NANO);
}

/** Attodollars to nanodollars, rounded up (what we reserve: never less than the true amount). */
export function attoToNanosCeil(atto: bigint): number {
  return Number((atto + ATTO_PER_NANO - 1n) / ATTO_PER_NANO);
}

/**
 * A USD amount that arrived as a JSON number (a provider-reported cost, a budget in settings) to
 * nanodollars. Rounding to the nearest nanodollar removes the binary-float noise of the input.
 */
export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

/** Nanodollars to a USD number for display and for JSON files; round-trips through usdToNanos. */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

/**
 * `$5.00`, `$0.0042`: cents for amounts of a cent or more, otherwise enough significant digits that
 * a tiny request does not read as free.
 */
export function formatUsd(nanos: number): string {
  const usd = nanos / NANOS_PER_USD;
  if (nanos === 0 || Math.abs(usd) >= 0.01) {
    return `$${usd.toFixed(2)}`;
  }
  return `$${usd.toPrecision(2)}`;
}
