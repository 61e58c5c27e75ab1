import { createHash, randomBytes } from 'node:crypto';

/** A PKCE verifier (kept in memory, sent only to the code exchange) and its S256 challenge (sent in the sign-in URL). */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/**
 * S256: base64url (no padding) of SHA-256 over the verifier's ASCII bytes.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export function computeS256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * 32 random bytes as base64url give a 43-character verifier, RFC 7636's minimum length and
 * 256 bits of entropy, from the unreserved character set it requires. `random` is injectable so
 * tests can replay RFC 7636's Appendix B vector.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function createPkcePair(random: (size: number) => Uint8Array = randomBytes): PkcePair {
  const verifier = Buffer.from(random(32)).toString('base64url');
  return { verifier, challenge: computeS256Challenge(verifier) };
}
