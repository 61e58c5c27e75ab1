import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PerpetuoError } from '../../src/core/errors/perpetuo-error';
import { convertChatReferences } from '../../src/vscode/chat/convert-chat-references';
import { parseImagePrompt, saveGeneratedImage } from '../../src/vscode/chat/save-generated-image';
import { readSseFixture, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';

const EXTENSION_ID = 'perpetuo.perpetuo';
const OPENROUTER_KEY = 'sk-or-v1-multimodaltest0123456789abcdef0123456789abcdef01';

/**
 * Attachments in the real VS Code: images through vscode.lm, PDFs as files or as text (the lazily
 * required dist/pdf-text.js), #file references from real workspace URIs, and /image's save. The
 * chat participant itself cannot be invoked from a test, so its pieces are called directly.
 */
describe('multimodal (vscode.lm and chat references → Perpetuo → fake upstream)', () => {
  let upstream: FakeUpstream;
  const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const media = (name: string) => readFileSync(join(root, 'test/fixtures/media', name));
  const fixture = (name: string) => readSseFixture(join(root, 'test/fixtures/openai-compatible', name));
  const config = () => vscode.workspace.getConfiguration('perpetuo');
  const workspace = () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the test host opens a workspace folder');
    return folder;
  };
  const created: vscode.Uri[] = [];

  before(async () => {
    upstream = await startFakeUpstream();
    await config().update('providers', [{ id: 'openrouter', baseUrl: `${upstream.url}/or/api/v1` }], vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('perpetuo.addKey', 'openrouter', OPENROUTER_KEY), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('perpetuo.removeKey', 'openrouter');
    await config().update('providers', undefined, vscode.ConfigurationTarget.Global);
    for (const uri of created) {
      await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    }
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

  async function send(id: string, content: Array<vscode.LanguageModelTextPart | vscode.LanguageModelDataPart>): Promise<string> {
    const response = await (await model(id)).sendRequest([vscode.LanguageModelChatMessage.User(content)], {});
    let text = '';
    for await (const chunk of response.text) {
      text += chunk;
    }
    return text;
  }

  async function copyIntoWorkspace(fixtureName: string, as: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(workspace(), 'multimodal-test', as);
    await vscode.workspace.fs.writeFile(uri, media(fixtureName));
    created.push(vscode.Uri.joinPath(workspace(), 'multimodal-test'));
    return uri;
  }

  it('sends a LanguageModelDataPart image to the provider as an image part', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    const png = media('gradient.png');
    const text = await send('anthropic/claude-sonnet-4', [new vscode.LanguageModelTextPart('What is this?'), vscode.LanguageModelDataPart.image(png, 'image/png')]);
    assert.equal(text, 'The tallest building needs a deep foundation.');
    const body = upstream.requests.at(-1)?.body as { model: string; messages: Array<{ content: unknown }> };
    assert.equal(body.model, 'anthropic/claude-sonnet-4');
    assert.deepEqual(body.messages.at(-1)?.content, [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
    ]);
  });

  it('sends a PDF as a file to a model that reads PDFs, and as extracted text (dist/pdf-text.js) to one that does not', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    const pdf = media('spec.pdf');
    await send('openai/gpt-4o-mini', [new vscode.LanguageModelTextPart('Summarise.'), new vscode.LanguageModelDataPart(pdf, 'application/pdf')]);
    const native = (upstream.requests.at(-1)?.body as { messages: Array<{ content: Array<Record<string, unknown>> }> }).messages.at(-1)?.content;
    assert.deepEqual(native?.[1], { type: 'file', file: { filename: 'attachment.pdf', file_data: `data:application/pdf;base64,${pdf.toString('base64')}` } });

    await send('deepseek/deepseek-chat', [new vscode.LanguageModelTextPart('Summarise.'), new vscode.LanguageModelDataPart(pdf, 'application/pdf')]);
    const sent = upstream.requests.at(-1)?.body as { model: string; messages: Array<{ content: unknown }> };
    assert.equal(sent.model, 'deepseek/deepseek-chat');
    const text = String(sent.messages.at(-1)?.content);
    assert.match(text, /\[pages 1–3 of 3 extracted as text from attachment\.pdf\]/);
    assert.match(text, /Page 3: every decision is written to the log\./);
  });

  it('holds a model to the size the PDF is sent at: over the per-request cap as a file, it is refused by name before anything is sent', async () => {
    upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    // gpt-4o-mini reserves 16,384 output tokens (~$0.0098); the 3-page PDF as a file adds 3 × 4,600 prompt tokens (~$0.0021).
    await config().update('guardrails.maxCostPerRequestUsd', 0.011, vscode.ConfigurationTarget.Global);
    try {
      const before = upstream.requests.length;
      const pdf = media('spec.pdf');
      await assert.rejects(
        () => send('openai/gpt-4o-mini', [new vscode.LanguageModelTextPart('Summarise.'), new vscode.LanguageModelDataPart(pdf, 'application/pdf')]),
        (error: unknown) => {
          assert.ok(error instanceof Error, String(error));
          assert.match(error.message, /openai\/gpt-4o-mini via openrouter est\. \$0\.01\d* with the PDF as a file is above your \$0\.011\/request cap\. .*pdfEngine to "text".*raise maxCostPerRequestUsd/);
          return true;
        },
      );
      assert.equal(upstream.requests.length, before, 'nothing was sent to a provider');
      // The question alone is under the same cap.
      await send('openai/gpt-4o-mini', [new vscode.LanguageModelTextPart('Summarise.')]);
      assert.equal(upstream.requests.length, before + 1);
    } finally {
      await config().update('guardrails.maxCostPerRequestUsd', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('turns #file references to a PNG and a PDF in the workspace into media parts by their bytes', async () => {
    const png = await copyIntoWorkspace('gradient.png', 'diagram.png');
    // A PNG saved with a .jpg name: the bytes decide, as providers check them.
    const misnamed = await copyIntoWorkspace('gradient.png', 'photo.jpg');
    const pdf = await copyIntoWorkspace('spec.pdf', 'spec.pdf');
    const parts = await convertChatReferences([
      { id: 'a', value: png },
      { id: 'b', value: misnamed },
      { id: 'c', value: pdf },
    ]);
    assert.deepEqual(
      parts.map((part) => (part.type === 'text' ? part.type : [part.type, part.mediaType, part.filename])),
      [
        ['image', 'image/png', 'multimodal-test/diagram.png'],
        ['image', 'image/png', 'multimodal-test/photo.jpg'],
        ['file', 'application/pdf', 'multimodal-test/spec.pdf'],
      ],
    );
    const first = parts[0];
    assert.ok(first?.type === 'image' && first.source.kind === 'base64' && first.source.data === media('gradient.png').toString('base64'));
  });

  it('refuses an empty or binary file of unknown type by name instead of sending it', async () => {
    const empty = vscode.Uri.joinPath(workspace(), 'multimodal-test', 'empty.png');
    await vscode.workspace.fs.writeFile(empty, new Uint8Array());
    const blob = vscode.Uri.joinPath(workspace(), 'multimodal-test', 'data.bin');
    await vscode.workspace.fs.writeFile(blob, new Uint8Array([1, 0, 2, 0, 3]));
    created.push(vscode.Uri.joinPath(workspace(), 'multimodal-test'));
    await assert.rejects(convertChatReferences([{ id: 'e', value: empty }]), (error: unknown) => error instanceof PerpetuoError && /empty\.png: the file is empty/.test(error.message));
    await assert.rejects(convertChatReferences([{ id: 'b', value: blob }]), (error: unknown) => error instanceof PerpetuoError && /data\.bin: it is a binary file/.test(error.message));
  });

  it('/image saves the generated picture under perpetuo-images/ with a timestamp and the prompt as its name', async () => {
    const { prompt, aspectRatio } = parseImagePrompt('a lighthouse at dusk --aspect 16:9');
    assert.deepEqual([prompt, aspectRatio], ['a lighthouse at dusk', '16:9']);
    const png = media('gradient.png');
    const uri = await saveGeneratedImage(workspace(), { mediaType: 'image/png', data: png.toString('base64') }, prompt, 0, new Date('2026-11-22T20:15:07.123Z'));
    created.push(vscode.Uri.joinPath(workspace(), 'perpetuo-images'));
    assert.equal(vscode.workspace.asRelativePath(uri), 'perpetuo-images/20261122-201507-a-lighthouse-at-dusk.png');
    assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(uri)), png);
    const second = await saveGeneratedImage(workspace(), { mediaType: 'image/webp', data: png.toString('base64') }, prompt, 1, new Date('2026-11-22T20:15:07.123Z'));
    assert.equal(vscode.workspace.asRelativePath(second), 'perpetuo-images/20261122-201507-a-lighthouse-at-dusk-2.webp');
  });

  it('registers "Ask Perpetuo about this file" for the Explorer', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('perpetuo.askAboutFile'));
  });
});
