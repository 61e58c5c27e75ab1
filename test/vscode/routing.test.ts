import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

const EXTENSION_ID = 'perpetuo.perpetuo';
const OPENROUTER_KEY = 'sk-or-v1-routingtest0123456789abcdef0123456789abcdef0123';
const OPENAI_KEY = 'sk-proj-routingtestABCDEFGHIJKLMNOPQRSTUVWX0123456789';

/** Requests through VS Code's language-model API, routed by Perpetuo to fake providers on 127.0.0.1. */
describe('routing through the model picker (vscode.lm → Perpetuo → fake upstream)', () => {
  let upstream: FakeUpstream;
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const fixture = (name: string) => readSseFixture(join(root, 'test/fixtures/openai-compatible', name));
  const config = () => vscode.workspace.getConfiguration('perpetuo');

  before(async () => {
    upstream = await startFakeUpstream();
    await config().update(
      'providers',
      [
        { id: 'openrouter', baseUrl: `${upstream.url}/or/api/v1` },
        { id: 'openai', baseUrl: `${upstream.url}/oa/v1` },
      ],
      vscode.ConfigurationTarget.Global,
    );
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openai', OPENAI_KEY), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openrouter');
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openai');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('guardrails.dailyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
    await upstream.close();
  });

  async function model(id: string): Promise<vscode.LanguageModelChat> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const [found] = await vscode.lm.selectChatModels({ vendor: 'perpetuo', id });
      if (found) {
        return found;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${id} never appeared in the model picker`);
  }

  it('lists the routes and the models the keys reach, with limits from the catalog', async () => {
    const sonnet = await model('anthropic/claude-sonnet-4');
    assert.match(sonnet.name, /Claude Sonnet 4/);
    assert.match(sonnet.name, /openrouter/);
    assert.ok(sonnet.maxInputTokens >= 200_000, `maxInputTokens ${sonnet.maxInputTokens}`);
    const auto = await model('perpetuo/auto');
    assert.equal(auto.name, 'Perpetuo Auto');
  });

  it('streams text from the provider the router picked', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    const sonnet = await model('anthropic/claude-sonnet-4');
    const response = await sonnet.sendRequest([vscode.LanguageModelChatMessage.User('How tall can a building be?')], {});
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
    }
    assert.equal(text, 'The tallest building needs a deep foundation.');
    const sent = upstream.requests.at(-1);
    assert.equal(sent?.headers.authorization, `Bearer ${OPENROUTER_KEY}`);
    assert.equal((sent?.body as { model: string }).model, 'anthropic/claude-sonnet-4');
  });

  it('streams tool calls as LanguageModelToolCallPart', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openai-parallel-tool-calls.jsonl') });
    const sonnet = await model('anthropic/claude-sonnet-4');
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'weather', inputSchema: { type: 'object', properties: { location: { type: 'string' } } } }];
    const response = await sonnet.sendRequest([vscode.LanguageModelChatMessage.User('weather in two cities')], { tools });
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelToolCallPart) {
        calls.push(part);
      }
    }
    assert.ok(calls.length >= 1, 'no tool call reached the consumer');
    assert.equal(typeof calls[0]?.input, 'object');
    assert.ok((upstream.requests.at(-1)?.body as { tools?: unknown[] }).tools?.length === 1, 'the tool was sent to the provider');
  });

  it('falls back to another provider when the first fails before any output', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { status: 503, json: { error: { code: 503, message: 'overloaded' } } });
    upstream.on('POST /oa/v1/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
    // The user's own order puts OpenRouter first, so the 503 there must hand over to OpenAI.
    await config().update('routing.strategy', 'priority', vscode.ConfigurationTarget.Global);
    await config().update('routing.priority', ['openrouter', 'openai'], vscode.ConfigurationTarget.Global);
    const before = upstream.requests.length;
    const gpt = await model('openai/gpt-4o-mini');
    const response = await gpt.sendRequest([vscode.LanguageModelChatMessage.User('hi')], {});
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
    }
    assert.ok(text.length > 0);
    const paths = upstream.requests.slice(before).map((r) => r.path);
    assert.deepEqual(paths, ['/or/api/v1/chat/completions', '/oa/v1/chat/completions']);
    await config().update('routing.strategy', undefined, vscode.ConfigurationTarget.Global);
    await config().update('routing.priority', undefined, vscode.ConfigurationTarget.Global);
  });

  it('refuses a request over the daily budget with a message that says what to do', async () => {
    await config().update('guardrails.dailyBudgetUsd', 0.000001, vscode.ConfigurationTarget.Global);
    const before = upstream.requests.length;
    const sonnet = await model('anthropic/claude-sonnet-4');
    await assert.rejects(
      async () => {
        const response = await sonnet.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {});
        for await (const _ of response.text) {
          // drain
        }
      },
      (error: unknown) => {
        assert.ok(error instanceof vscode.LanguageModelError, String(error));
        assert.match(error.message, /[Dd]aily budget/);
        assert.match(error.message, /Settings|raise|wait/i);
        return true;
      },
    );
    assert.equal(upstream.requests.length, before, 'nothing was sent to a provider');
    await config().update('guardrails.dailyBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
  });

  it('keeps keys out of settings', () => {
    const settingsFile = join(process.env.VSCODE_USER_DATA_DIR ?? '', 'User', 'settings.json');
    const inspected = JSON.stringify(config().inspect('providers'));
    assert.ok(!inspected.includes(OPENROUTER_KEY) && !inspected.includes(OPENAI_KEY));
    try {
      const text = readFileSync(settingsFile, 'utf8');
      assert.ok(!text.includes(OPENROUTER_KEY) && !text.includes(OPENAI_KEY), 'a key is in settings.json');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  });
});
