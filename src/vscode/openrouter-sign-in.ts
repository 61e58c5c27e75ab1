import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import { maskKey } from '../core/errors/redact-secrets';
import { loadOnDemand } from './load-on-demand';
import type { PerpetuoContext } from './perpetuo-context';
import { readProviderConfigs } from './read-provider-configs';

/** The path of our vscode://<publisher>.<name>/… URI that OpenRouter sends the browser back to. */
const CALLBACK_PATH = '/openrouter-callback';
/** A sign-in the user walked away from stops waiting after this. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

interface PendingSignIn {
  verifier: string;
  settle: (outcome: { code: string } | { error: string }) => void;
}

/**
 * "Sign in to OpenRouter" with OAuth PKCE: no key to copy. The verifier stays in this process;
 * the browser goes to OpenRouter with its S256 challenge and a callback URI of this window
 * (`vscode.env.asExternalUri` makes it reachable from the browser, in desktop VS Code and in
 * code-server alike); the URI handler receives `?state=…&code=…`, checks the state against the
 * sign-in it started, exchanges the code for a key and stores it in SecretStorage. A base URL for
 * `openrouter` in `perpetuo.providers` moves the exchange (and, for an `…/api/v1` base, the sign-in
 * page) with it: see resolveOpenRouterSignInUrls.
 */
export function registerOpenRouterSignIn(ctx: PerpetuoContext): void {
  const pending = new Map<string, PendingSignIn>();
  ctx.extension.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri(uri) {
        if (uri.path !== CALLBACK_PATH) {
          return;
        }
        const query = new URLSearchParams(uri.query);
        const state = query.get('state') ?? '';
        const sign = pending.get(state);
        if (!sign) {
          // Not a sign-in this window started (or one that already finished): never exchange it.
          ctx.log.warn('OpenRouter callback with an unknown state was ignored');
          void vscode.window.showWarningMessage(vscode.l10n.t('Ignored an OpenRouter sign-in answer that this window did not ask for.'));
          return;
        }
        pending.delete(state);
        const code = query.get('code');
        sign.settle(code ? { code } : { error: query.get('error') ?? vscode.l10n.t('OpenRouter sent no code.') });
      },
    }),
    vscode.commands.registerCommand('perpetuo.signInToOpenRouter', () => signIn(ctx, pending)),
  );
}

async function signIn(ctx: PerpetuoContext, pending: Map<string, PendingSignIn>): Promise<boolean> {
  // Loaded on first sign-in, not at activation (it brings the HTTP client).
  const { buildOpenRouterAuthUrl, createPkcePair, exchangeOpenRouterCode, resolveOpenRouterSignInUrls } = loadOnDemand(ctx.extension.extensionPath);
  let urls: ReturnType<typeof resolveOpenRouterSignInUrls>;
  try {
    urls = resolveOpenRouterSignInUrls((await readProviderConfigs(ctx.keys)).configs.find((config) => config.id === 'openrouter')?.baseUrl);
  } catch (error) {
    const failure = PerpetuoError.from(error, { kind: 'config', provider: 'openrouter' });
    void vscode.window.showErrorMessage(vscode.l10n.t('OpenRouter sign-in failed: {0}', failure.message));
    return false;
  }
  const { verifier, challenge } = createPkcePair();
  const state = randomUUID();
  const answer = new Promise<{ code: string } | { error: string }>((settle) => {
    pending.set(state, { verifier, settle });
  });
  const extensionId = ctx.extension.extension.id;
  const callback = await vscode.env.asExternalUri(vscode.Uri.parse(`${vscode.env.uriScheme}://${extensionId}${CALLBACK_PATH}?state=${state}`));
  const authUrl = buildOpenRouterAuthUrl({ callbackUrl: callback.toString(true), codeChallenge: challenge, authPage: urls.authPage });
  ctx.log.info('OpenRouter sign-in started');
  const timeout = new Promise<{ error: string }>((settle) => {
    const timer = setTimeout(() => settle({ error: vscode.l10n.t('The sign-in was not completed in time.') }), SIGN_IN_TIMEOUT_MS);
    void answer.finally(() => clearTimeout(timer));
  });
  try {
    const opened = await openExternalExactly(authUrl);
    if (!opened) {
      return false;
    }
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Waiting for OpenRouter sign-in in your browser…'), cancellable: true },
      (_progress, token) =>
        Promise.race([answer, timeout, new Promise<{ error: string }>((settle) => token.onCancellationRequested(() => settle({ error: vscode.l10n.t('Sign-in cancelled.') })))]),
    );
    if ('error' in outcome) {
      void vscode.window.showWarningMessage(vscode.l10n.t('OpenRouter sign-in failed: {0}', outcome.error));
      return false;
    }
    const key = await exchangeOpenRouterCode({ code: outcome.code, codeVerifier: verifier, apiBase: urls.apiBase }, AbortSignal.timeout(30_000));
    await ctx.keys.set('openrouter', key);
    ctx.log.info('OpenRouter sign-in stored a key');
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to OpenRouter; the key ({0}) is in SecretStorage.', maskKey(key)));
    return true;
  } catch (error) {
    const failure = PerpetuoError.from(error, { kind: 'network', provider: 'openrouter' });
    ctx.log.warn(`OpenRouter sign-in failed: ${failure.message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('OpenRouter sign-in failed: {0}', failure.message));
    return false;
  } finally {
    pending.delete(state);
  }
}

/**
 * Opens `url` in the browser byte for byte. A `vscode.Uri` cannot carry this URL: `Uri.parse`
 * decodes the query, and the opener re-encodes it with `encodeURI(uri.toString(true))`, so the
 * `&` and `=` of the callback URL nested in `callback_url` become separators of the outer query
 * and its `?` turns into `%253F` (microsoft/vscode#85930, #135949). In code-server the callback is
 * `…/callback?vscode-reqid=…&vscode-scheme=…&vscode-query=state%3D…`, so OpenRouter would get a
 * truncated callback and the answer would never reach us. The extension host's `openExternal`
 * also takes a string and opens it as given when it parses back to the same URI; that untyped
 * path is the one VS Code keeps for this (see test/ui/oauth.test.ts, which drives it).
 */
function openExternalExactly(url: string): Thenable<boolean> {
  return vscode.env.openExternal(url as unknown as vscode.Uri);
}
