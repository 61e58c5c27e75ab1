import assert from 'node:assert/strict';
import { validateGeminiKey } from '../../../../src/core/providers/gemini/validate-gemini-key';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { type FakeReply } from '../../../support/fake-upstream';
import { errorReply, PLANTED_KEY, useGeminiUpstream } from './gemini-test-support';

describe('validateGeminiKey', () => {
  const t = useGeminiUpstream();

  const validate = (c: ProviderConfig = t.config) => validateGeminiKey(c, new AbortController().signal, { dispatcher: t.recorder.agent });

  it('is valid on 200, with one cheap listing call and the key in the header only', async () => {
    t.upstream.on('GET /v1beta/models', { json: { models: [{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent'] }], nextPageToken: 'x' } });
    assert.equal((await validate()).status, 'valid');
    assert.deepEqual(t.recorder.urls, [`${t.upstream.url}/v1beta/models?pageSize=1`]);
    assert.equal(t.upstream.requests[0]?.headers['x-goog-api-key'], PLANTED_KEY);
  });

  const verdicts: Array<[string, FakeReply, string]> = [
    ['400 API_KEY_INVALID', errorReply('api-key-invalid'), 'invalid'],
    ['401', { status: 401, json: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } }, 'invalid'],
    ['403', errorReply('permission-denied'), 'invalid'],
    ['429 prepaid credits depleted', errorReply('credits-depleted'), 'no-credit'],
    ['400 billing required in region', errorReply('failed-precondition'), 'no-credit'],
    ['429 rate limit (key accepted)', errorReply('rate-limit'), 'valid'],
    ['503', errorReply('unavailable'), 'unreachable'],
    ['404 (wrong base URL)', { status: 404, text: 'Not Found' }, 'unreachable'],
    ['200 that is not the listing', { text: '<html>captive portal</html>' }, 'unreachable'],
  ];
  for (const [name, reply, status] of verdicts) {
    it(`${name} → ${status}`, async () => {
      t.upstream.on('GET /v1beta/models', reply);
      const verdict = await validate();
      assert.equal(verdict.status, status, verdict.detail);
      assert.equal(verdict.detail.includes(PLANTED_KEY), false);
    });
  }

  it('is unreachable when nothing listens', async () => {
    const verdict = await validate({ ...t.config, baseUrl: 'http://127.0.0.1:9/v1beta' });
    assert.equal(verdict.status, 'unreachable');
    assert.equal(verdict.detail.includes(PLANTED_KEY), false);
  });

  it('is invalid without a key, without calling anyone', async () => {
    assert.equal((await validate({ ...t.config, apiKey: undefined })).status, 'invalid');
    assert.equal(t.upstream.requests.length, 0);
  });
});
