import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { listOpenAICompatibleModels } from '../../../../src/core/providers/openai-compatible/list-openai-compatible-models';
import { createOpenAICompatibleChatModel } from '../../../../src/core/providers/openai-compatible/openai-compatible-chat-model';
import { validateOpenAICompatibleKey } from '../../../../src/core/providers/openai-compatible/validate-openai-compatible-key';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { startFakeUpstream, type FakeUpstream, type FakeReply } from '../../../support/fake-upstream';
import { collectStreamParts, openAIFixture } from './collect-stream-parts';

/** Keys shaped like each provider's, plus two with no recognisable shape (Azure, a custom server). */
const PLANTED: Array<{ preset: string; basePath: string; key: string }> = [
  { preset: 'openai', basePath: '/v1', key: 'sk-proj-PLANTEDopenaiKEY0123456789abcdefXYZ' },
  { preset: 'openrouter', basePath: '/api/v1', key: 'sk-or-v1-PLANTEDopenrouterKEY0123456789abcdef0123456789' },
  { preset: 'groq', basePath: '/openai/v1', key: 'gsk_PLANTEDgroqKEY0123456789abcdefXYZ' },
  { preset: 'xai', basePath: '/v1', key: 'xai-PLANTEDxaiKEY0123456789abcdefXYZ' },
  { preset: 'azure', basePath: '', key: '5f4dcc3b5aa765d61d8327deb882cf99' },
  { preset: 'custom', basePath: '/v1', key: 'plantedcustomservertoken42' },
];

/** Every way an upstream can put the key back in front of us. */
function hostileReplies(key: string): Array<{ name: string; reply: FakeReply }> {
  const midStream = openAIFixture('openrouter-midstream-error-string-code').map((item) =>
    'data' in item ? { data: JSON.parse(JSON.stringify(item.data).replace('Provider disconnected unexpectedly', `upstream rejected key ${key}`)) } : item,
  );
  return [
    { name: '401 echoing the key', reply: { status: 401, json: { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } } } },
    { name: '500 with the key in a text body', reply: { status: 500, text: `internal error; Authorization: Bearer ${key}` } },
    { name: 'mid-stream error quoting the key', reply: { sse: midStream } },
    { name: 'malformed chunk quoting the key', reply: { sse: [{ raw: `data: {"oops": "${key}"\n\n` }] } },
  ];
}

function assertClean(key: string, where: string, value: unknown): void {
  const seen = `${inspect(value, { depth: 20, showHidden: true })}\n${JSON.stringify(value)}\n${value instanceof Error ? value.stack : ''}`;
  assert.ok(!seen.includes(key), `${where}: the key leaked`);
  // Neither a long fragment of it.
  assert.ok(!seen.includes(key.slice(4, 20)), `${where}: part of the key leaked`);
}

describe('planted keys never leak', () => {
  let upstream: FakeUpstream;
  beforeEach(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.close());

  for (const planted of PLANTED) {
    it(`${planted.preset}: not in any part, error, stack, verdict or URL`, async () => {
      const config: ProviderConfig = { id: planted.preset, kind: 'openai-compatible', preset: planted.preset, baseUrl: `${upstream.url}${planted.basePath}`, apiKey: planted.key };
      const chatPath = planted.preset === 'azure' ? '/openai/deployments/m/chat/completions' : `${planted.basePath}/chat/completions`;
      const modelsPath = planted.preset === 'azure' ? '/openai/models' : planted.preset === 'openrouter' ? `${planted.basePath}/key` : `${planted.basePath}/models`;
      for (const { name, reply } of hostileReplies(planted.key)) {
        upstream.on(`POST ${chatPath}`, reply);
        const parts = await collectStreamParts(createOpenAICompatibleChatModel(config, 'm').stream({ messages: [] }, new AbortController().signal));
        assert.equal(parts.at(-1)?.type, 'error', name);
        assertClean(planted.key, `stream, ${name}`, parts);
        if (!('sse' in reply)) {
          upstream.on(`GET ${modelsPath}`, reply);
          assertClean(planted.key, `verdict, ${name}`, await validateOpenAICompatibleKey(config, new AbortController().signal));
          if (planted.preset !== 'azure' && planted.preset !== 'openrouter') {
            const rejection = await listOpenAICompatibleModels(config, new AbortController().signal).then(
              () => assert.fail('expected a rejection'),
              (error: unknown) => error,
            );
            assertClean(planted.key, `listing, ${name}`, rejection);
          }
        }
      }
      // A network failure after the key was sent.
      upstream.on(`POST ${chatPath}`, { sse: openAIFixture('openai-text-usage'), resetAfter: 2 });
      assertClean(planted.key, 'socket reset', await collectStreamParts(createOpenAICompatibleChatModel(config, 'm').stream({ messages: [] }, new AbortController().signal)));
      for (const request of upstream.requests) {
        assert.ok(!request.url.includes(planted.key), 'the key is never in a URL');
      }
      // …while it did travel, in its header.
      const sent = upstream.requests[0]?.headers;
      assert.ok(sent?.authorization === `Bearer ${planted.key}` || sent?.['api-key'] === planted.key);
    });
  }
});
