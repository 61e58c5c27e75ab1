/**
 * A USD amount at a precision that still shows differences between cheap models: three
 * significant digits below a cent (`$0.000123`), four decimals below a dollar, cents above.
 */
export function formatUsd(amount: number): string {
  if (amount === 0) {
    return '$0';
  }
  if (amount >= 1) {
    return `$${amount.toFixed(2)}`;
  }
  if (amount >= 0.01) {
    // Trailing zeros past the cents say nothing: `$0.05`, not `$0.0500`.
    let text = amount.toFixed(4);
    while (text.length > 4 && text.endsWith('0') && text.indexOf('.') < text.length - 3) {
      text = text.slice(0, -1);
    }
    return `$${text}`;
  }
  if (amount < 0.000001) {
    // toPrecision would switch to exponent notation here, which nobody reads as money.
    return '<$0.000001';
  }
  return `$${amount.toPrecision(3)}`;
}
