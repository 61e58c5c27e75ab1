import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { POLICY_FILE_RELATIVE_PATH } from '../../src/core/guardrails/load-policy-file';
import { registerEndpointClientSuite, SUITE_MODEL, type EndpointClientTarget } from '../support/endpoint-client-suite';
import { readSseFixture, startFakeUpstream } from '../support/fake-upstream';

const EXTENSION_ID = 'perpetuo.perpetuo';
const OPENROUTER_KEY = 'sk-or-v1-clientsuite0123456789abcdef0123456789abcdef0123';
/** Planted endpoint tokens (ppt_ + 43 base64url characters), set with addApp. */
const APP = 'client-suite';
const TOKEN = 'ppt_ClientSuiteToken0123456789abcdefghijklmnopqr';
const BLOCKED_APP = 'budget-blocked';
const BLOCKED_TOKEN = 'ppt_BudgetBlockedToken0123456789abcdefghijklmnop';

/**
 * The in-editor endpoint against the same client suite as `perpetuo serve`: the official SDKs →
 * the endpoint this window serves → the window's engine (keys from SecretStorage, guardrails from
 * the workspace's policy file) → fake OpenRouter.
 */
describe('local endpoint in VS Code: the official clients (issue #9 suite)', () => {
  let target: EndpointClientTarget;
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const config = () => vscode.workspace.getConfiguration('perpetuo');
  const policyPath = () => join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, POLICY_FILE_RELATIVE_PATH);

  before(async () => {
    const upstream = await startFakeUpstream();
    const route = 'POST /or/api/v1/chat/completions';
    upstream.on(route, { sse: readSseFixture(join(root, 'test/fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    await config().update('providers', [{ id: 'openrouter', baseUrl: `${upstream.url}/or/api/v1` }], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
    for (const [name, token] of [
      [APP, TOKEN],
      [BLOCKED_APP, BLOCKED_TOKEN],
    ] as const) {
      assert.ok(await vscode.commands.executeCommand('perpetuo.endpoint.addApp', { name, token }), `addApp ${name}`);
    }
    const policy = { version: 1, guardrails: { apps: { [BLOCKED_APP]: { budget: { amountUsd: 0.000001, period: 'daily' } } } } };
    // Written from outside VS Code, folder and file at once (as a checkout brings them): the window
    // must notice the new folder's policy file.
    mkdirSync(dirname(policyPath()), { recursive: true });
    writeFileSync(policyPath(), JSON.stringify(policy));
    const started = await vscode.commands.executeCommand<{ owner: string; port?: number }>('perpetuo.endpoint.start', { port: 0 });
    assert.equal(started?.owner, 'this-window', JSON.stringify(started));
    target = {
      url: `http://127.0.0.1:${started.port}`,
      token: TOKEN,
      budgetBlockedToken: BLOCKED_TOKEN,
      upstream,
      upstreamRoute: route,
      providerKey: OPENROUTER_KEY,
      fixturesDir: join(root, 'test/fixtures'),
    };
    await policyInForce(target);
  });

  after(async () => {
    rmSync(dirname(policyPath()), { recursive: true, force: true });
    await vscode.commands.executeCommand('perpetuo.endpoint.stop');
    await vscode.commands.executeCommand('perpetuo.endpoint.removeApp', { name: APP });
    await vscode.commands.executeCommand('perpetuo.endpoint.removeApp', { name: BLOCKED_APP });
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openrouter');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await target.upstream.close();
  });

  registerEndpointClientSuite(() => target);
});

/**
 * The window reads the policy file through a file watcher: wait (without a time assertion) until
 * the blocked app is refused, so the suite starts from the policy it wrote.
 */
async function policyInForce(target: EndpointClientTarget): Promise<void> {
  let last = 0;
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(`${target.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.budgetBlockedToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: SUITE_MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    last = response.status;
    if (last === 402) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the policy file's budget for ${BLOCKED_APP} never took effect (last status ${last})`);
}
