/**
 * Seconds to wait from a `retry-after` header (delta-seconds or an HTTP date), or from the
 * non-standard `retry-after-ms` some providers send. Undefined when absent or unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(headers: Record<string, string | string[] | undefined>, now: () => number = Date.now): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) {
    return Number(ms) / 1000;
  }
  const value = first(headers['retry-after']);
  if (value === undefined) {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(value.trim())) {
    return Number(value);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now()) / 1000);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
