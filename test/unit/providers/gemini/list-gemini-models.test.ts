import assert from 'node:assert/strict';
import { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import { listGeminiModels } from '../../../../src/core/providers/gemini/list-gemini-models';
import { errorReply, modelPages, PLANTED_KEY, useGeminiUpstream } from './gemini-test-support';

describe('listGeminiModels', () => {
  const t = useGeminiUpstream();

  it('follows nextPageToken and keeps only generateContent models, with their token limits', async () => {
    const [first, second] = modelPages();
    let page = 0;
    t.upstream.on('GET /v1beta/models', () => ({ json: page++ === 0 ? first : second }));
    const models = await listGeminiModels(t.config, new AbortController().signal, { dispatcher: t.recorder.agent });
    assert.deepEqual(models, [
      { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextLength: 1048576, maxOutputTokens: 65536 },
      { id: 'gemini-3-pro-preview', displayName: 'Gemini 3 Pro Preview', contextLength: 1048576, maxOutputTokens: 65536 },
    ]);
    assert.equal(t.recorder.urls.length, 2);
    const second_ = new URL(t.recorder.urls[1] ?? '');
    assert.equal(second_.searchParams.get('pageToken'), 'Ch5tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE=');
    for (const url of t.recorder.urls) {
      assert.equal(new URL(url).searchParams.has('key'), false);
      assert.equal(url.includes(PLANTED_KEY), false);
    }
    assert.equal(t.upstream.requests.every((r) => r.headers['x-goog-api-key'] === PLANTED_KEY), true);
  });

  it('stops when a broken upstream repeats its page token', async () => {
    t.upstream.on('GET /v1beta/models', { json: { models: [], nextPageToken: 'again' } });
    assert.deepEqual(await listGeminiModels(t.config, new AbortController().signal, { dispatcher: t.recorder.agent }), []);
    assert.equal(t.upstream.requests.length, 2);
  });

  it('rejects with the mapped Gemini error', async () => {
    t.upstream.on('GET /v1beta/models', errorReply('api-key-invalid'));
    await assert.rejects(listGeminiModels(t.config, new AbortController().signal, { dispatcher: t.recorder.agent }), (error: unknown) => {
      assert.ok(error instanceof PerpetuoError);
      assert.equal(error.kind, 'auth');
      return true;
    });
  });
});
