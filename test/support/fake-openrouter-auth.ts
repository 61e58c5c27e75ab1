/**
 * OpenRouter's OAuth PKCE sign-in, played by a fake upstream on 127.0.0.1, for tests of our
 * sign-in. Under `prefix` (the part before `/api/v1` of the OpenRouter base URL):
 * - `GET <prefix>/auth?callback_url&code_challenge&code_challenge_method`: a page with an
 *   "Authorize" button, as the user sees it after logging in;
 * - `GET <prefix>/auth/approve`: what the button does: issues a one-time code bound to the
 *   challenge and redirects the browser (302) to `callback_url` with `code` added to its query;
 * - `POST <prefix>/api/v1/auth/keys {code, code_verifier, code_challenge_method}`: answers
 *   `{key}` only when SHA-256(code_verifier) matches the code's challenge, 403 otherwise, and a
 *   code works once.
 * @see https://openrouter.ai/docs/guides/overview/auth/oauth
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeUpstream } from './fake-upstream';

export interface FakeOpenRouterAuth {
  /** Each visit to the sign-in page: its query as the extension sent it. */
  visits: Array<{ callbackUrl: string; codeChallenge: string; codeChallengeMethod: string }>;
  /** Each code exchange and its verdict. */
  exchanges: Array<{ code: string; verifierMatched: boolean; issuedKey?: string }>;
  /**
   * Rewrites the callback URL before redirecting; the default leaves it as given. A test sets it
   * to forge what comes back (a different `state`).
   */
  rewriteCallback: (callbackUrl: string) => string;
}

export function serveFakeOpenRouterAuth(upstream: FakeUpstream, prefix: string): FakeOpenRouterAuth {
  const challenges = new Map<string, string>();
  const auth: FakeOpenRouterAuth = { visits: [], exchanges: [], rewriteCallback: (url) => url };

  upstream.on(`GET ${prefix}/auth`, (request) => {
    const query = new URL(request.url, upstream.url).searchParams;
    auth.visits.push({
      callbackUrl: query.get('callback_url') ?? '',
      codeChallenge: query.get('code_challenge') ?? '',
      codeChallengeMethod: query.get('code_challenge_method') ?? '',
    });
    const approve = `${prefix}/auth/approve?${query.toString()}`;
    return {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      text: `<!doctype html><title>Fake OpenRouter sign-in</title><h1>Authorize Perpetuo?</h1><a id="authorize" href="${escapeHtml(approve)}">Authorize</a>`,
    };
  });

  upstream.on(`GET ${prefix}/auth/approve`, (request) => {
    const query = new URL(request.url, upstream.url).searchParams;
    const code = randomBytes(16).toString('hex');
    challenges.set(code, query.get('code_challenge') ?? '');
    const callback = new URL(auth.rewriteCallback(query.get('callback_url') ?? ''));
    callback.searchParams.set('code', code);
    return { status: 302, headers: { location: callback.toString() } };
  });

  upstream.on(`POST ${prefix}/api/v1/auth/keys`, (request) => {
    const body = request.body as { code?: string; code_verifier?: string; code_challenge_method?: string };
    const challenge = challenges.get(body.code ?? '');
    // One-time: a code is spent by its first exchange, right or wrong.
    challenges.delete(body.code ?? '');
    const verifierMatched =
      challenge !== undefined && body.code_challenge_method === 'S256' && createHash('sha256').update(body.code_verifier ?? '', 'ascii').digest('base64url') === challenge;
    if (!verifierMatched) {
      auth.exchanges.push({ code: body.code ?? '', verifierMatched });
      return { status: 403, json: { error: { code: 403, message: 'Invalid code or code_verifier' } } };
    }
    const issuedKey = `sk-or-v1-${randomBytes(32).toString('hex')}`;
    auth.exchanges.push({ code: body.code ?? '', verifierMatched, issuedKey });
    return { json: { key: issuedKey, user_id: 'user_fake' } };
  });

  return auth;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
