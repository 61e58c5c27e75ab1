import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { serveFakeOpenRouterAuth, type FakeOpenRouterAuth } from '../support/fake-openrouter-auth';
import { readSseFixture } from '../support/fake-upstream';
import {
  escapeRegExp,
  filesUnder,
  LONG_WAIT,
  notification,
  openPerpetuoWorkbench,
  type PerpetuoWorkbench,
  pickChatModel,
  REPO_ROOT,
  runCommand,
  runCommandUntilShown,
  sendChatPrompt,
  waitForTranscript,
  createScreenshots,
  reportUiFailure,
} from './perpetuo-workbench';

const STATE_IN_CALLBACK = /state(?:=|%3D)([0-9a-f-]{36})/i;

/**
 * "Perpetuo: Sign In to OpenRouter" end to end in a real VS Code 1.139.1 (code-server) in
 * Chromium, with OpenRouter played by a fake on 127.0.0.1 (test/support/fake-openrouter-auth.ts).
 *
 * What happens, all of it real: the command calls `vscode.env.asExternalUri` on
 * `code-oss://perpetuo.perpetuo/openrouter-callback?state=…`, which code-server's web workbench
 * turns into `http://127.0.0.1:<port>/callback?vscode-reqid=…&vscode-scheme=code-oss&…`;
 * `vscode.env.openExternal` opens the sign-in page with `window.open`, which Playwright sees as a
 * new page of the browser context; the test clicks "Authorize" there as a user would; the fake
 * redirects to the callback, whose page (`vs/code/browser/workbench/callback.html`) writes the
 * URI into localStorage; the workbench notices through the `storage` event and hands it to the
 * extension's UriHandler, which exchanges the code (and its verifier) for a key.
 */
describe('OpenRouter sign-in (OAuth PKCE) through the browser, in the real VS Code UI', function () {
  this.timeout(10 * 60_000);
  let wb: PerpetuoWorkbench;
  const shot = createScreenshots('oauth', () => wb.page);
  let auth: FakeOpenRouterAuth;

  before(async function () {
    this.timeout(10 * 60_000);
    wb = await openPerpetuoWorkbench({
      settings: (upstream) => ({
        // One base URL moves the whole of OpenRouter: its API, the code exchange and (an …/api/v1
        // base) the sign-in page, here all on 127.0.0.1. Spelled 127.1 (the same address): the
        // web workbench sends every `localhost|127.0.0.1|0.0.0.0:<port>` link through
        // code-server's /proxy/<port>/ (the browser may be on another machine) and re-encodes it on
        // the way, which openrouter.ai never goes through; 127.1 is opened as given, as it would be.
        'perpetuo.providers': [{ id: 'openrouter', baseUrl: `${upstream.replace('//127.0.0.1:', '//127.1:')}/or/api/v1` }],
        'perpetuo.chat.model': 'anthropic/claude-sonnet-4',
      }),
    });
    auth = serveFakeOpenRouterAuth(wb.upstream, '/or');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await reportUiFailure(wb.page, shot, this.currentTest.title);
    }
  });

  after(async () => {
    await wb?.close();
  });

  /** Runs the sign-in command and returns the sign-in page it opened in the browser. */
  async function startSignIn(): Promise<Page> {
    const popup = wb.page.context().waitForEvent('page', { timeout: LONG_WAIT });
    await runCommand(wb.page, 'Perpetuo: Sign In to OpenRouter');
    // VS Code's link protection asks first (127.1, like openrouter.ai, is not a trusted domain);
    // the answer is the user's, so the test takes whichever comes: the question or the page.
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'open the external website?' });
    const first = await Promise.race([popup.then(() => 'page'), dialog.waitFor({ timeout: LONG_WAIT }).then(() => 'dialog')]);
    if (first === 'dialog') {
      assert.match(await dialog.innerText(), /http:\/\/127\.1:\d+\/or\/auth\?/);
      await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    }
    const page = await popup;
    await page.locator('#authorize').waitFor({ timeout: LONG_WAIT });
    return page;
  }

  it('ignores an answer whose state it did not send: a clear warning, no code exchange, no key', async () => {
    const forged = '00000000-0000-4000-8000-000000000000';
    auth.rewriteCallback = (url) => url.replace(STATE_IN_CALLBACK, (match, state: string) => match.replace(state, forged));
    const signInPage = await startSignIn();
    const sent = STATE_IN_CALLBACK.exec(auth.visits.at(-1)?.callbackUrl ?? '')?.[1];
    assert.ok(sent && sent !== forged, `the callback URL carries a state: ${auth.visits.at(-1)?.callbackUrl}`);
    await signInPage.locator('#authorize').click();
    await notification(wb.page, 'Ignored an OpenRouter sign-in answer that this window did not ask for.').waitFor({ timeout: LONG_WAIT });
    assert.deepEqual(auth.exchanges, [], 'a code with a foreign state must never be exchanged');

    // The real sign-in is still waiting; the user gives up on it.
    await notification(wb.page, 'Waiting for OpenRouter sign-in in your browser')
      .getByRole('button', { name: 'Cancel' })
      .click({ timeout: LONG_WAIT });
    await notification(wb.page, 'OpenRouter sign-in failed: Sign-in cancelled.').waitFor({ timeout: LONG_WAIT });
    await runCommandUntilShown(wb.page, 'Perpetuo: List Provider Keys', notification(wb.page, 'No keys yet.'));
    assert.deepEqual(auth.exchanges, []);
    await signInPage.close();
  });

  it('signs in: browser → callback → UriHandler → code exchange with the verifier → key in SecretStorage, used for chat', async () => {
    auth.rewriteCallback = (url) => url;
    const signInPage = await startSignIn();
    const visit = auth.visits.at(-1)!;
    assert.equal(visit.codeChallengeMethod, 'S256');
    assert.match(visit.codeChallenge, /^[A-Za-z0-9_-]{43}$/);
    // asExternalUri of the product's URI scheme, as code-server resolves it: its own /callback route.
    const callback = new URL(visit.callbackUrl);
    assert.match(`${callback.origin}${callback.pathname}`, new RegExp(`^${escapeRegExp(wb.server.url)}/(stable-[0-9a-f]{40}/)?callback$`));
    assert.equal(callback.searchParams.get('vscode-scheme'), 'code-oss');
    assert.equal(callback.searchParams.get('vscode-authority'), 'perpetuo.perpetuo');
    assert.equal(callback.searchParams.get('vscode-path'), '/openrouter-callback');
    assert.match(callback.searchParams.get('vscode-query') ?? '', /^state=[0-9a-f-]{36}$/);

    await signInPage.locator('#authorize').click();
    const signedIn = notification(wb.page, /Signed in to OpenRouter; the key \(sk-or-v1-…[0-9a-f]{4}\) is in SecretStorage\./);
    await signedIn.waitFor({ timeout: LONG_WAIT });
    assert.equal(auth.exchanges.length, 1, JSON.stringify(auth.exchanges.map((e) => e.verifierMatched)));
    const { verifierMatched, issuedKey } = auth.exchanges[0]!;
    assert.ok(verifierMatched && issuedKey, 'the exchange sent the verifier of the challenge in the sign-in URL');
    const masked = `sk-or-v1-…${issuedKey.slice(-4)}`;
    assert.ok((await signedIn.innerText()).includes(masked));
    // The browser tab that came back from OpenRouter shows the code-server callback page, not the key.
    assert.ok(!(await signInPage.content()).includes(issuedKey));
    await signInPage.close();

    // The key list shows it masked.
    await runCommandUntilShown(wb.page, 'Perpetuo: List Provider Keys', notification(wb.page, `openrouter: ${masked}`));
    assert.ok(!(await wb.page.locator('.notifications-toasts').innerText()).includes(issuedKey));

    // And it is the key chat requests to OpenRouter carry.
    wb.upstream.on('POST /or/api/v1/chat/completions', { sse: readSseFixture(join(REPO_ROOT, 'test/fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    await pickChatModel(wb.page, 'Claude Sonnet 4', /^Claude Sonnet 4 \(.*openrouter.*\)$/);
    const before = wb.upstream.requests.length;
    await sendChatPrompt(wb.page, '@perpetuo what is a foundation?');
    await waitForTranscript(wb.page, ['The tallest building needs a deep foundation.']);
    const chat = wb.upstream.requests.slice(before).filter((r) => r.path === '/or/api/v1/chat/completions');
    assert.equal(chat.length, 1);
    assert.equal(chat[0]!.headers.authorization, `Bearer ${issuedKey}`);
  });

  it("keeps the issued key out of the extension's log and every file of the profile", async () => {
    const issuedKey = auth.exchanges.find((e) => e.issuedKey)?.issuedKey;
    assert.ok(issuedKey, 'the sign-in test issued a key');
    const perpetuoLogs = () => filesUnder(join(wb.profile.userData, 'logs')).filter((f) => /perpetuo/i.test(f));
    // The log is written asynchronously: wait until it has both sign-ins.
    const deadline = Date.now() + LONG_WAIT;
    let logText = '';
    while (!(logText.includes('OpenRouter sign-in stored a key') && logText.includes('OpenRouter callback with an unknown state was ignored'))) {
      assert.ok(Date.now() < deadline, `Perpetuo's log (${perpetuoLogs().join(', ') || 'none'}) never recorded both sign-ins:\n${logText}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      logText = perpetuoLogs().map((f) => readFileSync(f, 'utf8')).join('\n');
    }
    assert.ok(!logText.includes(issuedKey), 'the key is in the log');
    const leaks = filesUnder(wb.profile.dir)
      .filter((file) => !/(^|\/)state\.vscdb/.test(file))
      .filter((file) => {
        const bytes = readFileSync(file);
        return bytes.includes(issuedKey) || bytes.includes(Buffer.from(issuedKey, 'utf16le'));
      })
      .map((file) => relative(wb.profile.dir, file));
    assert.deepEqual(leaks, [], `the issued key is on disk in: ${leaks.join(', ')}`);
  });
});
