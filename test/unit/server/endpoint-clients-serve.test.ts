import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEndpointToken } from '../../../src/server/generate-endpoint-token';
import { registerEndpointClientSuite, type EndpointClientTarget } from '../../support/endpoint-client-suite';
import { startFakeUpstream } from '../../support/fake-upstream';
import { startServe } from '../../support/start-serve';

const OPENROUTER_KEY = 'sk-or-v1-servesuite0123456789abcdef0123456789abcdef0123';

/** `perpetuo serve` (the CLI's `main`, in process) with OpenRouter on a fake upstream. */
describe('perpetuo serve: the official clients (issue #9 suite)', function () {
  // The suite's first request loads the bundled catalog.
  this.timeout(20_000);
  let target: EndpointClientTarget;
  let dir: string;
  let serve: Awaited<ReturnType<typeof startServe>>;

  before(async () => {
    const upstream = await startFakeUpstream();
    dir = await mkdtemp(join(tmpdir(), 'perpetuo-serve-suite-'));
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ version: 1, guardrails: { apps: { 'budget-blocked': { budget: { amountUsd: 0.000001, period: 'daily' } } } } }));
    const configFile = join(dir, 'perpetuo.json');
    await writeFile(
      configFile,
      JSON.stringify({
        port: 0,
        liveCatalog: false,
        ledgerDir: './state/ledger',
        guardrails: './policy.json',
        providers: [{ id: 'openrouter', kind: 'openai-compatible', preset: 'openrouter', baseUrl: `${upstream.url}/or/api/v1`, keyEnv: 'SUITE_OPENROUTER_KEY' }],
        tokens: [
          { name: 'suite', tokenEnv: 'SUITE_TOKEN' },
          { name: 'budget-blocked', tokenEnv: 'SUITE_BLOCKED_TOKEN' },
        ],
      }),
    );
    const token = generateEndpointToken();
    const budgetBlockedToken = generateEndpointToken();
    serve = await startServe(configFile, { SUITE_OPENROUTER_KEY: OPENROUTER_KEY, SUITE_TOKEN: token, SUITE_BLOCKED_TOKEN: budgetBlockedToken });
    target = {
      url: serve.url,
      token,
      budgetBlockedToken,
      upstream,
      upstreamRoute: 'POST /or/api/v1/chat/completions',
      providerKey: OPENROUTER_KEY,
      fixturesDir: join(__dirname, '../../fixtures'),
    };
  });

  after(async () => {
    assert.equal(await serve.stop(), 0);
    await target.upstream.close();
    await rm(dir, { recursive: true, force: true });
    const printed = serve.lines.join('\n');
    for (const secret of [OPENROUTER_KEY, target.token, target.budgetBlockedToken]) {
      assert.ok(!printed.includes(secret), 'a secret reached the serve output');
    }
  });

  registerEndpointClientSuite(() => target);
});
