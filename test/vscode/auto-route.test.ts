import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

const EXTENSION_ID = 'perpetuo.perpetuo';
const OPENROUTER_KEY = 'sk-or-v1-autoroute0123456789abcdef0123456789abcdef012345';
const ANTHROPIC_KEY = 'sk-ant-api03-autoRouteTest0123456789abcdefghijklmnopqrst';

/**
 * The user: one OpenRouter key and one Anthropic key, asking "Perpetuo Auto" through VS
 * Code's model picker API. Both providers are fakes on 127.0.0.1 speaking their own wire format.
 */
describe('Perpetuo Auto with an OpenRouter key and an Anthropic key', () => {
  let upstream: FakeUpstream;
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const config = () => vscode.workspace.getConfiguration('perpetuo');

  before(async () => {
    upstream = await startFakeUpstream();
    upstream.on('POST /or/api/v1/chat/completions', { sse: readSseFixture(join(root, 'test/fixtures/openai-compatible/openrouter-text-cost.jsonl')) });
    upstream.on('POST /an/v1/messages', { sse: readSseFixture(join(root, 'test/fixtures/anthropic/text.jsonl')) });
    await config().update(
      'providers',
      [
        { id: 'openrouter', baseUrl: `${upstream.url}/or/api/v1` },
        { id: 'anthropic', baseUrl: `${upstream.url}/an/v1` },
      ],
      vscode.ConfigurationTarget.Global,
    );
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'anthropic', ANTHROPIC_KEY), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openrouter');
    await vscode.commands.executeCommand('perpetuo.removeKey', 'anthropic');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('routing.autoCandidates', undefined, vscode.ConfigurationTarget.Global);
    await upstream.close();
  });

  async function ask(prompt: string): Promise<string> {
    let auto: vscode.LanguageModelChat | undefined;
    for (let attempt = 0; attempt < 50 && !auto; attempt++) {
      [auto] = await vscode.lm.selectChatModels({ vendor: 'perpetuo', id: 'perpetuo/auto' });
      if (!auto) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(auto, 'Perpetuo Auto is not in the model picker');
    const response = await auto.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], {});
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
    }
    return text;
  }

  it('answers through whichever of the two providers the auto router picks, with that provider’s key', async () => {
    const before = upstream.requests.length;
    const text = await ask('Refactor this TypeScript function to use async/await: function f(cb) { g((e, v) => cb(e, v)); }');
    assert.ok(text.length > 0, 'no text came back');
    const [sent] = upstream.requests.slice(before);
    assert.ok(sent, 'no provider was called');
    if (sent.path === '/an/v1/messages') {
      assert.equal(sent.headers['x-api-key'], ANTHROPIC_KEY);
    } else {
      assert.equal(sent.path, '/or/api/v1/chat/completions');
      assert.equal(sent.headers.authorization, `Bearer ${OPENROUTER_KEY}`);
    }
  });

  it('keeps to the auto candidates the user set: restricted to Claude, a Claude model serves', async () => {
    await config().update('routing.autoCandidates', ['anthropic/claude-sonnet-4*'], vscode.ConfigurationTarget.Global);
    const before = upstream.requests.length;
    const text = await ask('Explain this error: TypeError: Cannot read properties of undefined (reading "x")');
    assert.ok(text.length > 0);
    const sent = upstream.requests.slice(before);
    assert.ok(sent.length >= 1);
    // Either endpoint of a Claude model may serve it; what was sent must be a Claude model in that provider's format.
    const body = sent[0]?.body as { model?: string };
    assert.match(body.model ?? '', /claude-sonnet-4/);
  });
});
