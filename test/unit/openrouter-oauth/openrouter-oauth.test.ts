import assert from 'node:assert/strict';
import { buildOpenRouterAuthUrl, computeS256Challenge, createPkcePair, exchangeOpenRouterCode, resolveOpenRouterSignInUrls } from '../../../src/core/providers/openrouter-oauth';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';

describe('OpenRouter OAuth PKCE', () => {
  // RFC 7636 Appendix B: these 32 octets give this verifier and this S256 challenge.
  const rfcOctets = [
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
  ];
  const rfcVerifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const rfcChallenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('derives the RFC 7636 Appendix B verifier and S256 challenge', () => {
    assert.equal(computeS256Challenge(rfcVerifier), rfcChallenge);
    assert.deepEqual(createPkcePair(() => Uint8Array.from(rfcOctets)), { verifier: rfcVerifier, challenge: rfcChallenge });
  });

  it('makes a fresh 43-character unreserved verifier each time', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    assert.match(a.verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.verifier, b.verifier);
    assert.equal(a.challenge, computeS256Challenge(a.verifier));
  });

  it('builds the sign-in URL with callback, challenge and S256', () => {
    const callbackUrl = 'vscode://perpetuo.perpetuo/openrouter-callback?state=abc&x=1';
    const url = new URL(buildOpenRouterAuthUrl({ callbackUrl, codeChallenge: rfcChallenge }));
    assert.equal(url.origin + url.pathname, 'https://openrouter.ai/auth');
    assert.equal(url.searchParams.get('callback_url'), callbackUrl);
    assert.equal(url.searchParams.get('code_challenge'), rfcChallenge);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  });

  it('keeps a configured sign-in page as written (no host rewriting) and encodes a nested callback whole', () => {
    const callbackUrl = 'http://127.0.0.1:8080/callback?vscode-reqid=1&vscode-scheme=code-oss&vscode-query=state%3Dabc';
    const url = buildOpenRouterAuthUrl({ callbackUrl, codeChallenge: rfcChallenge, authPage: 'http://127.1:9000/or/auth' });
    assert.ok(url.startsWith('http://127.1:9000/or/auth?callback_url=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback%3Fvscode-reqid%3D1%26'), url);
    assert.equal(new URL(url).searchParams.get('callback_url'), callbackUrl);
  });

  describe('sign-in URLs from the openrouter base URL', () => {
    it('uses openrouter.ai without an override', () => {
      assert.deepEqual(resolveOpenRouterSignInUrls(), { authPage: 'https://openrouter.ai/auth', apiBase: 'https://openrouter.ai/api/v1' });
    });

    it('takes the sign-in page from an …/api/v1 base (a mirror) and the exchange from any base (a proxy)', () => {
      assert.deepEqual(resolveOpenRouterSignInUrls('https://mirror.example/openrouter/api/v1/'), {
        authPage: 'https://mirror.example/openrouter/auth',
        apiBase: 'https://mirror.example/openrouter/api/v1',
      });
      assert.deepEqual(resolveOpenRouterSignInUrls('https://proxy.example/v1'), { authPage: 'https://openrouter.ai/auth', apiBase: 'https://proxy.example/v1' });
    });

    it('allows plain http only on loopback', () => {
      for (const base of ['http://127.0.0.1:4000/api/v1', 'http://localhost:4000/api/v1', 'http://127.1:4000/api/v1', 'http://[::1]:4000/api/v1']) {
        assert.equal(resolveOpenRouterSignInUrls(base).apiBase, base);
      }
      for (const base of ['http://10.0.0.5/api/v1', 'http://openrouter.ai/api/v1', 'ftp://127.0.0.1/api/v1', 'not a url']) {
        assert.throws(
          () => resolveOpenRouterSignInUrls(base),
          (error: unknown) => error instanceof PerpetuoError && error.kind === 'config',
          base,
        );
      }
    });
  });

  describe('code exchange', () => {
    let upstream: FakeUpstream;
    beforeEach(async () => {
      upstream = await startFakeUpstream();
    });
    afterEach(() => upstream.close());

    it('POSTs code, verifier and method to /auth/keys and returns the key', async () => {
      const planted = `sk-or-v1-${'a1'.repeat(32)}`;
      upstream.on('POST /api/v1/auth/keys', { json: { key: planted, user_id: 'user_1' } });
      const key = await exchangeOpenRouterCode({ code: 'code-123', codeVerifier: rfcVerifier, apiBase: `${upstream.url}/api/v1` }, AbortSignal.timeout(10_000));
      assert.equal(key, planted);
      const [request] = upstream.requests;
      assert.equal(request?.method, 'POST');
      assert.deepEqual(request?.body, { code: 'code-123', code_verifier: rfcVerifier, code_challenge_method: 'S256' });
      assert.equal(request?.headers.authorization, undefined, 'the exchange needs no key');
    });

    it('maps a refused code to an error without any key text', async () => {
      upstream.on('POST /api/v1/auth/keys', { status: 403, json: { error: { code: 403, message: 'Invalid code or code_verifier' } } });
      await assert.rejects(
        exchangeOpenRouterCode({ code: 'stale', codeVerifier: rfcVerifier, apiBase: `${upstream.url}/api/v1` }, AbortSignal.timeout(10_000)),
        (error: unknown) => {
          assert.ok(error instanceof PerpetuoError);
          assert.equal(error.statusCode, 403);
          assert.match(error.message, /Invalid code/);
          return true;
        },
      );
    });

    it('rejects an answer without a key as malformed', async () => {
      upstream.on('POST /api/v1/auth/keys', { json: { user_id: 'user_1' } });
      await assert.rejects(
        exchangeOpenRouterCode({ code: 'c', codeVerifier: rfcVerifier, apiBase: `${upstream.url}/api/v1` }, AbortSignal.timeout(10_000)),
        (error: unknown) => error instanceof PerpetuoError && error.kind === 'malformed-response',
      );
    });
  });
});
