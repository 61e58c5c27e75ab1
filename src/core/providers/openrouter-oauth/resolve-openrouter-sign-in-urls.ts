import { PerpetuoError } from '../../errors/perpetuo-error';
import { OPENROUTER_AUTH_PAGE } from './build-openrouter-auth-url';
import { OPENROUTER_API_BASE } from './exchange-openrouter-code';

/** Where a sign-in sends the browser and where it trades the code for a key. */
export interface OpenRouterSignInUrls {
  authPage: string;
  apiBase: string;
}

/** Hosts that never leave this machine, so plain http to them carries no key over a network. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The sign-in URLs for the user's OpenRouter base URL (`perpetuo.providers`, id `openrouter`).
 * OpenRouter serves its API at `<origin>/api/v1` and its sign-in page at `<origin>/auth`, so a
 * base ending in `/api/v1` (a mirror, or a test server) brings its own sign-in page; any other
 * base (a proxy of the API only) keeps openrouter.ai's page and exchanges the code through the
 * proxy, as every other OpenRouter call does.
 *
 * The exchange answers with a key, so both URLs must be https, or http on a loopback host;
 * anything else is refused before the browser opens.
 * @see https://openrouter.ai/docs/guides/overview/auth/oauth
 */
export function resolveOpenRouterSignInUrls(baseUrlOverride?: string): OpenRouterSignInUrls {
  if (baseUrlOverride === undefined) {
    return { authPage: OPENROUTER_AUTH_PAGE, apiBase: OPENROUTER_API_BASE };
  }
  const apiBase = baseUrlOverride.replace(/\/+$/, '');
  const mirror = /^(.*)\/api\/v1$/.exec(apiBase);
  const urls = { authPage: mirror ? `${mirror[1]}/auth` : OPENROUTER_AUTH_PAGE, apiBase };
  for (const url of [urls.authPage, urls.apiBase]) {
    requireSecureOrLoopback(url);
  }
  return urls;
}

function requireSecureOrLoopback(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PerpetuoError({ kind: 'config', provider: 'openrouter', message: `The OpenRouter base URL "${text}" in perpetuo.providers is not a URL.` });
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return;
  }
  throw new PerpetuoError({
    kind: 'config',
    provider: 'openrouter',
    message: `Sign-in refuses ${url.origin}: the key would travel unencrypted. Use an https base URL for openrouter in perpetuo.providers (http only on 127.0.0.1 or localhost).`,
  });
}
