import { PerpetuoError } from '../errors';

/**
 * Exact decimal conversions between "USD per million tokens" (how providers and models.dev
 * publish prices) and "USD per token" (how OpenRouter publishes them and how the catalog stores
 * them). The decimal point is moved on the digits of the number's shortest representation, so
 * `3` becomes `"0.000003"` and never `0.0000030000000000000004` (what `3 / 1e6` gives).
 */
export function convertPerMillionToPerToken(value: number | string): string {
  return shiftDecimalPoint(value, -6);
}

/** The inverse, for display and for comparing with a provider's price page. */
export function convertPerTokenToPerMillion(value: number | string): string {
  return shiftDecimalPoint(value, 6);
}

/** Matches a plain or scientific non-negative decimal: `0.125`, `3`, `1.5e-7`. */
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function shiftDecimalPoint(value: number | string, places: number): string {
  // String(number) is the shortest text that round-trips, so it carries exactly the digits the
  // publisher wrote (0.075 stays 0.075); the shift below is then pure string work.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new PerpetuoError({ kind: 'config', message: `Price ${text} is not a finite number.` });
  }
  if (!match) {
    throw new PerpetuoError({
      kind: 'config',
      message: `Price "${text}" is not a non-negative decimal number (expected e.g. "0.000003" or 3).`,
    });
  }
  const [, whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') {
    return '0';
  }
  // The value is digits × 10^scale.
  const scale = Number(exponent) - fraction.length + places;
  if (scale >= 0) {
    return digits + '0'.repeat(scale);
  }
  const padded = digits.padStart(-scale + 1, '0');
  const integerPart = padded.slice(0, padded.length + scale);
  const fractionPart = padded.slice(padded.length + scale).replace(/0+$/, '');
  return fractionPart === '' ? integerPart : `${integerPart}.${fractionPart}`;
}
