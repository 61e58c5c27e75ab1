import { createHash, timingSafeEqual } from 'node:crypto';
import { registerSecret } from '../core/errors';
import { ENDPOINT_TOKEN_PREFIX } from './generate-endpoint-token';

/** A token the endpoint accepts, and the app it stands for. */
export interface EndpointToken {
  /** The app's name: `RouteOptions.app`, the ledger's source detail, per-app guardrails. */
  name: string;
  token: string;
}

/** 32 random bytes in base64url. */
const MIN_TOKEN_BODY_LENGTH = 43;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks presented tokens in constant time. Both sides are hashed first, so every comparison is
 * between two 32-byte digests whatever the lengths, and every configured token is compared on
 * every call (no early exit tells which one nearly matched). The token that matched last is
 * first compared as it is (a length check, then `timingSafeEqual`): the time tells only whether a
 * string is that whole token, never how much of it is right. Weak tokens are refused at start-up:
 * a token must be `ppt_` plus at least 32 random bytes, as `generateEndpointToken()` makes.
 * Tokens are registered with the redactor, so none can reach a log line.
 */
export function createTokenVerifier(tokens: readonly EndpointToken[]): (presented: string | undefined) => string | undefined {
  if (tokens.length === 0) {
    throw new Error('The endpoint needs at least one token: it never serves without authentication.');
  }
  const names = new Set<string>();
  const digests = tokens.map(({ name, token }) => {
    if (name.trim() === '') {
      throw new Error('Every endpoint token needs a name (the app it stands for).');
    }
    if (names.has(name)) {
      throw new Error(`Two endpoint tokens are named '${name}': each app needs its own name.`);
    }
    names.add(name);
    if (!token.startsWith(ENDPOINT_TOKEN_PREFIX) || token.length - ENDPOINT_TOKEN_PREFIX.length < MIN_TOKEN_BODY_LENGTH) {
      throw new Error(`The endpoint token named '${name}' is too weak: use one made by generateEndpointToken() ('perpetuo token').`);
    }
    registerSecret(token);
    return { name, digest: sha256(token) };
  });
  // The last token that matched, with its name: an app sends the same token on every request, and
  // telling it apart from another string in constant time needs no hash (same length, then
  // timingSafeEqual). Any other string takes the hashed path below.
  let last: { bytes: Buffer; name: string } | undefined;
  return (presented) => {
    if (presented === undefined || presented === '') {
      return undefined;
    }
    if (last !== undefined && Buffer.byteLength(presented) === last.bytes.length && timingSafeEqual(Buffer.from(presented), last.bytes)) {
      return last.name;
    }
    const digest = sha256(presented);
    let match: string | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) {
        match = entry.name;
      }
    }
    if (match !== undefined) {
      last = { bytes: Buffer.from(presented), name: match };
    }
    return match;
  };
}
