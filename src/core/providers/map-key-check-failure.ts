import { PerpetuoError } from '../errors/perpetuo-error';
import type { KeyVerdict } from './provider-config';

/**
 * The verdict on a key whose cheapest authenticated call failed, the same for every provider:
 * refused (401/403) → invalid; out of credit or quota (402) → no-credit; rate-limited (429 comes
 * after authentication, so the key itself is good) → valid; anything else → unreachable.
 * A cancelled check is not a verdict: it is rethrown.
 */
export function mapKeyCheckFailure(error: unknown, provider: string): KeyVerdict {
  const failure = PerpetuoError.from(error, { kind: 'network', provider });
  switch (failure.kind) {
    case 'auth':
    case 'permission':
      return { status: 'invalid', detail: failure.message };
    case 'payment':
      return { status: 'no-credit', detail: failure.message };
    case 'rate-limit':
      return { status: 'valid', detail: `${provider} accepted the key but is rate-limiting it right now: ${failure.message}` };
    case 'cancelled':
      throw failure;
    default:
      return { status: 'unreachable', detail: failure.message };
  }
}
