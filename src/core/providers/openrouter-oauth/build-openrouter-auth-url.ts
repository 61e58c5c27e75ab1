/** Where OpenRouter's sign-in page lives; tests point it at 127.0.0.1. */
export const OPENROUTER_AUTH_PAGE = 'https://openrouter.ai/auth';

/**
 * The page the user opens to sign in and authorise Perpetuo. OpenRouter sends the browser back to
 * `callbackUrl` with `?code=…` appended; the callback carries our own `state` in its query so the
 * answer can be matched to this sign-in.
 * @see https://openrouter.ai/docs/guides/overview/auth/oauth
 */
export function buildOpenRouterAuthUrl(options: { callbackUrl: string; codeChallenge: string; authPage?: string }): string {
  const query = new URLSearchParams({ callback_url: options.callbackUrl, code_challenge: options.codeChallenge, code_challenge_method: 'S256' });
  // The page as the user configured it, not re-serialised by `new URL` (which rewrites hosts).
  return `${options.authPage ?? OPENROUTER_AUTH_PAGE}?${query.toString()}`;
}
