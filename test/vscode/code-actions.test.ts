import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

const PLANTED = `sk-test-${'c0de'.repeat(8)}`;
const BUGGY = ['function add(a: number, b: number): number {', '  return a - b;', '}', 'const keep = 1;', ''].join('\n');

async function codeActionTitles(uri: vscode.Uri, range: vscode.Range): Promise<string[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
  return actions.map((a) => a.title);
}

/**
 * The first TypeScript document activates the built-in TypeScript extension; code actions asked
 * for while it starts can come back without ours (seen once in code-server 1.139.1), so ask until
 * one of ours is there or the attempts run out. The assertions then check the full list.
 */
async function settledCodeActionTitles(uri: vscode.Uri, range: vscode.Range): Promise<string[]> {
  let titles: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    titles = await codeActionTitles(uri, range);
    if (titles.some((t) => t.includes('Perpetuo'))) {
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return titles;
}

describe('Code actions (Explain, Fix, Refactor, Add Tests)', () => {
  before(async function () {
    await vscode.extensions.getExtension('perpetuo.perpetuo')?.activate();
    if (!(await vscode.commands.getCommands(true)).includes('perpetuo.codeAction.fix')) {
      // registerCodeActions(ctx) is wired into activate() by the lead (src/extension.ts); until
      // then there is nothing to test here.
      console.log('code actions are not registered in activate() yet: skipping');
      this.skip();
    }
  });

  it('offers all four on a selection', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: BUGGY });
    const titles = await settledCodeActionTitles(document.uri, new vscode.Range(0, 0, 2, 1));
    for (const title of ['Explain with Perpetuo', 'Fix with Perpetuo', 'Refactor with Perpetuo', 'Add Tests with Perpetuo']) {
      assert.ok(titles.includes(title), `${title} missing from ${JSON.stringify(titles)}`);
    }
  });

  it('offers nothing on an empty selection without a diagnostic', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: BUGGY });
    const titles = await codeActionTitles(document.uri, new vscode.Range(1, 2, 1, 2));
    assert.deepEqual(titles.filter((t) => t.includes('Perpetuo')), []);
  });

  it('offers Fix and Explain for a diagnostic under the cursor', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: BUGGY });
    const diagnostics = vscode.languages.createDiagnosticCollection('perpetuo-test');
    try {
      diagnostics.set(document.uri, [new vscode.Diagnostic(new vscode.Range(1, 9, 1, 14), 'add() subtracts', vscode.DiagnosticSeverity.Error)]);
      const titles = await settledCodeActionTitles(document.uri, new vscode.Range(1, 10, 1, 10));
      assert.ok(titles.includes('Fix with Perpetuo: add() subtracts'), JSON.stringify(titles));
      assert.ok(titles.includes('Explain with Perpetuo: add() subtracts'), JSON.stringify(titles));
    } finally {
      diagnostics.dispose();
    }
  });

  describe('Fix through the routing engine and a fake OpenAI', () => {
    let upstream: FakeUpstream;
    let previousProviders: unknown;

    before(async () => {
      upstream = await startFakeUpstream();
      upstream.on('GET /v1/models', { json: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' }] } });
      const answer = 'Here is the fix:\n```typescript\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```\n';
      upstream.on('POST /v1/chat/completions', {
        sse: [
          { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: answer }, finish_reason: null }] } },
          { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 } } },
          { raw: 'data: [DONE]\n\n' },
        ],
      });
      const configuration = vscode.workspace.getConfiguration('perpetuo');
      previousProviders = configuration.inspect('providers')?.globalValue;
      await configuration.update('providers', [{ id: 'openai', baseUrl: `${upstream.url}/v1` }], vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('perpetuo.addKey', 'openai', PLANTED);
    });

    after(async () => {
      await vscode.commands.executeCommand('perpetuo.removeKey', 'openai');
      await vscode.workspace.getConfiguration('perpetuo').update('providers', previousProviders, vscode.ConfigurationTarget.Global);
      await upstream.close();
    });

    it('replaces only the selected lines with the fenced code, and the edit can be undone', async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: BUGGY });
      await vscode.window.showTextDocument(document);
      const result = await vscode.commands.executeCommand<{ applied: boolean; message: string }>('perpetuo.codeAction.fix', {
        uri: document.uri,
        range: new vscode.Range(0, 0, 2, 1),
        model: 'openai/gpt-4o-mini',
        preview: false,
      });
      assert.equal(result.applied, true, result.message);
      assert.match(result.message, /^Fixed with openai\/gpt-4o-mini via openai/);
      assert.equal(document.getText(), BUGGY.replace('a - b', 'a + b'));
      const request = upstream.requests.find((r) => r.path === '/v1/chat/completions');
      assert.ok(JSON.stringify(request?.body).includes('return a - b;'), 'the selected code was sent');
      assert.ok(!JSON.stringify(request?.body).includes('const keep'), 'only the selection was sent');
      await vscode.commands.executeCommand('undo');
      assert.equal(document.getText(), BUGGY);
    });
  });
});
