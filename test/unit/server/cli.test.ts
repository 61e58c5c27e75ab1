import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import OpenAI from 'openai';
import { workspaceIdOf } from '../../../src/core/guardrails/workspace-id-of';
import { main, type CliIo } from '../../../src/server/cli';
import { createPdfTextLoader } from '../../../src/server/create-pdf-text-loader';
import { generateEndpointToken } from '../../../src/server/generate-endpoint-token';
import { loadServeConfig } from '../../../src/server/load-serve-config';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { startServe } from '../../support/start-serve';

function captureIo(): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (line) => outLines.push(line), err: (line) => errLines.push(line), stopRequested: () => Promise.resolve() };
}

/** A config for `perpetuo serve` on a free port, one custom provider on the fake upstream, and the token `cli-test` from MY_TOKEN. */
function serveConfig(upstreamUrl: string, extra: Record<string, unknown> = {}, models = ['tiny']): string {
  return JSON.stringify({
    port: 0,
    liveCatalog: false,
    ledgerDir: './state/ledger',
    providers: [{ id: 'local', kind: 'openai-compatible', preset: 'custom', baseUrl: `${upstreamUrl}/v1`, noKey: true, models, free: true }],
    tokens: [{ name: 'cli-test', tokenEnv: 'MY_TOKEN' }],
    ...extra,
  });
}

describe('perpetuo CLI', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perpetuo-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /**
   * `perpetuo serve` from a config in the test folder, on a fake upstream that answers every chat
   * with a short text, for `run`; then stopped (exit code 0, asserted) and the upstream closed,
   * even when `run` failed, or the server would hold the test run open. Returns its output.
   */
  async function withServe(config: { extra?: Record<string, unknown>; models?: string[] }, run: (serve: { url: string; token: string; upstream: FakeUpstream }) => Promise<void>): Promise<{ token: string; lines: string[] }> {
    const upstream = await startFakeUpstream();
    upstream.on('POST /v1/chat/completions', () => ({ sse: readSseFixture(join(__dirname, '../../fixtures/openai-compatible/openai-text-usage.jsonl')) }));
    try {
      const configFile = join(dir, 'perpetuo.json');
      await writeFile(configFile, serveConfig(upstream.url, config.extra, config.models));
      const token = generateEndpointToken();
      const { url, lines, stop } = await startServe(configFile, { MY_TOKEN: token });
      try {
        await run({ url, token, upstream });
      } finally {
        assert.equal(await stop(), 0);
      }
      return { token, lines };
    } finally {
      await upstream.close();
    }
  }

  it('prints a fresh endpoint token', async () => {
    const io = captureIo();
    assert.equal(await main(['token'], {}, io), 0);
    assert.match(io.outLines[0] ?? '', /^ppt_[A-Za-z0-9_-]{43}$/);
  });

  it('answers an unknown command or option with usage and exit code 2', async () => {
    const io = captureIo();
    assert.equal(await main(['bogus'], {}, io), 2);
    assert.match(io.errLines.join('\n'), /unknown command 'bogus'[\s\S]*Usage/);
    assert.equal(await main(['serve', '--nope'], {}, io), 2);
  });

  it('builds a config from the environment alone', async () => {
    const token = generateEndpointToken();
    const config = await loadServeConfig(undefined, { OPENAI_API_KEY: 'sk-test-openai-0000000000000000', GROQ_API_KEY: 'gsk_test', PERPETUO_ENDPOINT_TOKEN: token });
    assert.deepEqual(
      config.providers.map((provider) => [provider.id, provider.kind, provider.apiKey]),
      [
        ['openai', 'openai-compatible', 'sk-test-openai-0000000000000000'],
        ['groq', 'openai-compatible', 'gsk_test'],
      ],
    );
    assert.deepEqual(config.tokens, [{ name: 'default', token }]);
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
  });

  it('names the missing variable when there is no token or no key', async () => {
    await assert.rejects(loadServeConfig(undefined, { OPENAI_API_KEY: 'sk-x' }), /\(environment\): tokens: the environment variable PERPETUO_ENDPOINT_TOKEN is not set/);
    await assert.rejects(loadServeConfig(undefined, { PERPETUO_ENDPOINT_TOKEN: generateEndpointToken() }), /providers: no provider has a key/);
  });

  it('reads keys and tokens from 0600 files and refuses files others can read, naming file and mode', async () => {
    const keyFile = join(dir, 'anthropic.key');
    const tokenFile = join(dir, 'zed.token');
    await writeFile(keyFile, 'sk-ant-test-key-0123456789\n');
    await writeFile(tokenFile, `${generateEndpointToken()}\n`, { mode: 0o600 });
    await chmod(keyFile, 0o644);
    const configFile = join(dir, 'perpetuo.json');
    await writeFile(
      configFile,
      JSON.stringify({
        port: 9000,
        providers: [
          { id: 'anthropic', kind: 'anthropic', keyFile: './anthropic.key' },
          { id: 'ollama', kind: 'openai-compatible', preset: 'custom', baseUrl: 'http://127.0.0.1:11434/v1', noKey: true },
        ],
        strategy: 'cheapest',
        ledgerDir: './ledger',
        tokens: [{ name: 'zed', tokenFile: './zed.token' }],
        limits: { requestsPerMinute: 100 },
      }),
    );
    await assert.rejects(loadServeConfig(configFile, {}), (error: Error) => {
      assert.ok(error.message.includes(keyFile), error.message);
      assert.match(error.message, /providers\[0\]\.keyFile: .*mode 0644.*chmod 600/);
      return true;
    });
    await chmod(keyFile, 0o600);
    const config = await loadServeConfig(configFile, {});
    assert.equal(config.providers[0]?.apiKey, 'sk-ant-test-key-0123456789');
    assert.equal(config.providers[1]?.apiKey, undefined);
    assert.equal(config.tokens[0]?.name, 'zed');
    assert.equal(config.ledgerDir, join(dir, 'ledger'));
    assert.equal(config.strategy, 'cheapest');
    assert.deepEqual(config.limits, { requestsPerMinute: 100 });
  });

  it('names the file and the field of a bad config', async () => {
    const configFile = join(dir, 'bad.json');
    const cases: Array<[unknown, RegExp]> = [
      [{ providers: [{ id: 'openai', kind: 'openai' }] }, /providers\[0\]\.kind/],
      [{ host: '0.0.0.0' }, /: host: /],
      [{ tokens: [{ name: 'a', tokenEnv: 'A', tokenFile: 'b' }] }, /tokens\[0\]: give exactly one/],
      [{ strategy: 'random' }, /strategy/],
      [{ prot: 1 }, /Unrecognized key/],
      [{ providers: [{ id: 'x', kind: 'openai-compatible' }] }, /providers\[0\]\.keyEnv: no key source/],
      [{ attachments: { pdfEngine: 'ocr' } }, /: attachments\.pdfEngine: /],
      [{ attachments: { pdfPageLimit: 0 } }, /: attachments\.pdfPageLimit: /],
    ];
    for (const [body, expected] of cases) {
      await writeFile(configFile, JSON.stringify(body));
      await assert.rejects(loadServeConfig(configFile, { OPENAI_API_KEY: 'sk-x' }), (error: Error) => {
        assert.ok(error.message.startsWith(`${configFile}: `), error.message);
        assert.match(error.message, expected);
        return true;
      });
    }
    await writeFile(configFile, '{ nope');
    await assert.rejects(loadServeConfig(configFile, {}), new RegExp(`${configFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(file\\): is not valid JSON`));
  });

  it('serves on loopback until asked to stop, with the real engine behind it', async () => {
    const served = await withServe({}, async ({ url, token }) => {
      const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(models.status, 200);
      const listed = (await models.json()) as { data: Array<{ id: string; perpetuo: { providers: string[] } }> };
      assert.ok(listed.data.some((entry) => entry.perpetuo.providers.includes('local')));
      assert.equal((await fetch(`${url}/v1/models`)).status, 401);
    });
    assert.ok(!served.lines.join('\n').includes(served.token), 'the token never reaches the output');
  });

  it('serves a PDF to a text-only model as its extracted text when the config says pdfEngine text', async () => {
    await withServe({ extra: { attachments: { pdfEngine: 'text', pdfPageLimit: 2 } } }, async ({ url, token, upstream }) => {
      const pdf = (await readFile(join(__dirname, '../../fixtures/media/spec.pdf'))).toString('base64');
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: token, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'local/tiny',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarise the spec.' },
              { type: 'file', file: { filename: 'spec.pdf', file_data: `data:application/pdf;base64,${pdf}` } },
            ],
          },
        ],
      });
      assert.ok(completion.choices[0]?.message.content, JSON.stringify(completion));
      const sent = JSON.stringify((upstream.requests[0]?.body as { messages: unknown }).messages);
      assert.match(sent, /pages 1–2 of 3 extracted as text from spec\.pdf; page 3 \(1 page\) left out by the page limit of 2/);
      assert.match(sent, /Perpetuo fixture, page 1: routing requirements\./);
      assert.match(sent, /Page 2: fallbacks happen before the first token\./);
      assert.doesNotMatch(sent, /every decision is written to the log/);
      assert.doesNotMatch(sent, /application\/pdf/, 'the file itself did not go to the text-only model');
    });
  });

  it("holds every request to the policy file's workspace section, the folder holding .perpetuo/ as the workspace", async () => {
    await mkdir(join(dir, '.perpetuo'));
    await writeFile(join(dir, '.perpetuo', 'policy.json'), JSON.stringify({ version: 1, guardrails: { workspace: { denyModels: ['local/blocked'], budget: { amountUsd: 5, period: 'daily' } } } }));
    await withServe({ extra: { guardrails: './.perpetuo/policy.json' }, models: ['tiny', 'blocked'] }, async ({ url, token, upstream }) => {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: token, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'local/tiny', messages: [{ role: 'user', content: 'Hello?' }] });
      assert.ok(completion.choices[0]?.message.content, JSON.stringify(completion));
      const refused = await client.chat.completions.create({ model: 'local/blocked', messages: [{ role: 'user', content: 'Hello?' }] }).then(
        () => assert.fail('a denied model was served'),
        (error: unknown) => error as { status: number; message: string },
      );
      assert.ok(refused.status >= 400 && refused.status < 500, `${refused.status} ${refused.message}`);
      assert.match(refused.message, /denyModels/);
      assert.equal(upstream.requests.length, 1, 'the denied model was never called');
      // The workspace's budget was reserved and settled under the folder's id, as the extension names it.
      const journal = await readFile(join(dir, 'state', 'budgets', 'budget-journal.jsonl'), 'utf8');
      assert.match(journal, new RegExp(`workspace:${workspaceIdOf(pathToFileURL(dir).href)}`));
    });
  });

  it('says where PDF text extraction was looked for when neither the bundle nor the source is there', async () => {
    await assert.rejects(createPdfTextLoader(dir)(), new RegExp(`PDF text extraction is missing: ${join(dir, 'pdf-text.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was not found; run \`npm run build\``));
  });

  it('refuses to serve on a non-loopback address before using any key', async () => {
    const io = captureIo();
    const env = { OPENAI_API_KEY: 'sk-test-openai-0000000000000000', PERPETUO_ENDPOINT_TOKEN: generateEndpointToken() };
    assert.equal(await main(['serve', '--host', '0.0.0.0'], env, io), 1);
    assert.match(io.errLines.join('\n'), /loopback only.*'0\.0\.0\.0'/);
    assert.ok(!io.errLines.join('\n').includes('sk-test-openai'));
  });
});
