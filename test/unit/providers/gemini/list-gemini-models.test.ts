import assert from 'node:assert/strict';
import type { Agent } from 'undici';
import { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { listGeminiModels } from '../../../../src/core/providers/gemini/list-gemini-models';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { startFakeUpstream, type FakeUpstream } from '../../../support/fake-upstream';
import { errorReply, modelPages, PLANTED_KEY, recordingAgent } from './gemini-test-support';

describe('listGeminiModels', () => {
  let upstream: FakeUpstream;
  let recorder: { agent: Agent; urls: string[] };
  let config: ProviderConfig;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
    recorder = recordingAgent();
    config = { id: 'gemini', kind: 'gemini', baseUrl: `${upstream.url}/v1beta`, apiKey: PLANTED_KEY };
  });
  afterEach(async () => {
    await upstream.close();
    await recorder.agent.close();
  });

  it('follows nextPageToken and keeps only generateContent models, with their token limits', async () => {
    const [first, second] = modelPages();
    let page = 0;
    upstream.on('GET /v1beta/models', () => ({ json: page++ === 0 ? first : second }));
    const models = await listGeminiModels(config, new AbortController().signal, { dispatcher: recorder.agent });
    assert.deepEqual(models, [
      { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextLength: 1048576, maxOutputTokens: 65536 },
      { id: 'gemini-3-pro-preview', displayName: 'Gemini 3 Pro Preview', contextLength: 1048576, maxOutputTokens: 65536 },
    ]);
    assert.equal(recorder.urls.length, 2);
    const second_ = new URL(recorder.urls[1] ?? '');
    assert.equal(second_.searchParams.get('pageToken'), 'Ch5tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE=');
    for (const url of recorder.urls) {
      assert.equal(new URL(url).searchParams.has('key'), false);
      assert.equal(url.includes(PLANTED_KEY), false);
    }
    assert.equal(upstream.requests.every((r) => r.headers['x-goog-api-key'] === PLANTED_KEY), true);
  });

  it('stops when a broken upstream repeats its page token', async () => {
    upstream.on('GET /v1beta/models', { json: { models: [], nextPageToken: 'again' } });
    assert.deepEqual(await listGeminiModels(config, new AbortController().signal, { dispatcher: recorder.agent }), []);
    assert.equal(upstream.requests.length, 2);
  });

  it('rejects with the mapped Gemini error', async () => {
    upstream.on('GET /v1beta/models', errorReply('api-key-invalid'));
    await assert.rejects(listGeminiModels(config, new AbortController().signal, { dispatcher: recorder.agent }), (error: unknown) => {
      assert.ok(error instanceof PerpetuoError);
      assert.equal(error.kind, 'auth');
      return true;
    });
  });
});
