import { randomBytes } from 'node:crypto';

/** The prefix every endpoint token carries, so that redaction and secret scanners recognise one. */
export const ENDPOINT_TOKEN_PREFIX = 'ppt_';

/** Random bytes in a token: 32 (256 bits) from the OS's CSPRNG. */
const TOKEN_BYTES = 32;

/**
 * A new endpoint token: `ppt_` and 32 random bytes in base64url (43 characters). Never derived
 * from time or anything guessable.
 */
export function generateEndpointToken(): string {
  return ENDPOINT_TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}
