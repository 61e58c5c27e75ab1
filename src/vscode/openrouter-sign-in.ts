import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import { maskKey } from '../core/errors/redact-secrets';
import type { PerpetuoContext } from './perpetuo-context';

/** The path of our vscode://<publisher>.<name>/… URI that OpenRouter sends the browser back to. */
const CALLBACK_PATH = '/openrouter-callback';
/** A sign-in the user walked away from stops waiting after this. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/** `perpetuo.signInToOpenRouter` options, for tests: where OpenRouter lives. */
export interface OpenRouterSignInOptions {
  authPage?: string;
  apiBase?: string;
}

interface PendingSignIn {
  verifier: string;
  settle: (outcome: { code: string } | { error: string }) => void;
}

/**
 * "Sign in to OpenRouter" with OAuth PKCE: no key to copy. The verifier stays in this process;
 * the browser goes to OpenRouter with its S256 challenge and a callback URI of this window
 * (`vscode.env.asExternalUri` makes it reachable from the browser, in desktop VS Code and in
 * code-server alike); the URI handler receives `?state=…&code=…`, checks the state against the
 * sign-in it started, exchanges the code for a key and stores it in SecretStorage.
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
    vscode.commands.registerCommand('perpetuo.signInToOpenRouter', (options: OpenRouterSignInOptions = {}) => signIn(ctx, pending, options)),
  );
}

async function signIn(ctx: PerpetuoContext, pending: Map<string, PendingSignIn>, options: OpenRouterSignInOptions): Promise<boolean> {
  // Loaded on first sign-in, not at activation (it brings the HTTP client).
  const { buildOpenRouterAuthUrl, createPkcePair, exchangeOpenRouterCode } = await import('../core/providers/openrouter-oauth');
  const { verifier, challenge } = createPkcePair();
  const state = randomUUID();
  const answer = new Promise<{ code: string } | { error: string }>((settle) => {
    pending.set(state, { verifier, settle });
  });
  const extensionId = ctx.extension.extension.id;
  const callback = await vscode.env.asExternalUri(vscode.Uri.parse(`${vscode.env.uriScheme}://${extensionId}${CALLBACK_PATH}?state=${state}`));
  const authUrl = buildOpenRouterAuthUrl({ callbackUrl: callback.toString(true), codeChallenge: challenge, authPage: options.authPage });
  ctx.log.info('OpenRouter sign-in started');
  const timeout = new Promise<{ error: string }>((settle) => {
    const timer = setTimeout(() => settle({ error: vscode.l10n.t('The sign-in was not completed in time.') }), SIGN_IN_TIMEOUT_MS);
    void answer.finally(() => clearTimeout(timer));
  });
  try {
    const opened = await vscode.env.openExternal(vscode.Uri.parse(authUrl, true));
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
    const key = await exchangeOpenRouterCode({ code: outcome.code, codeVerifier: verifier, apiBase: options.apiBase }, AbortSignal.timeout(30_000));
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
