import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSseFixture } from '../support/fake-upstream';
import {
  LONG_WAIT,
  REPO_ROOT,
  addKeyThroughUi,
  attachWorkspaceFile,
  chatAttachments,
  chatTranscript,
  escapeRegExp,
  modalDialog,
  openPerpetuoWorkbench,
  pickChatModel,
  sendChatPrompt,
  waitForTranscript,
  type PerpetuoWorkbench,
  createScreenshots,
  reportUiFailure,
} from './perpetuo-workbench';

// Planted keys, shaped like real ones.
const DEEPSEEK_KEY = `sk-${'5be1d0c9a7f34e62'.repeat(2)}`;
const OPENROUTER_KEY = `sk-or-v1-${'8c2e4a6f0b1d3957'.repeat(4)}`;
const CHAT_COMPLETIONS = ['/or/api/v1/chat/completions', '/ds/v1/chat/completions'];

const media = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/media', name));
const fixture = (name: string) => readSseFixture(join(REPO_ROOT, 'test/fixtures/openai-compatible', name));
const PNG = media('gradient.png');
const PDF = media('spec.pdf');

interface CatalogEndpoint {
  provider: string;
  inputModalities: string[];
  outputModalities?: string[];
}
/** The catalog the packaged extension routes with (built beside the bundle). */
const catalog = (JSON.parse(readFileSync(join(REPO_ROOT, 'dist/bundled-catalog.json'), 'utf8')) as { models: Array<{ id: string; endpoints: CatalogEndpoint[] }> }).models;
function endpoint(modelId: string, provider: string): CatalogEndpoint {
  const found = catalog.find((m) => m.id === modelId)?.endpoints.find((e) => e.provider === provider);
  assert.ok(found, `${modelId} via ${provider} is not in dist/bundled-catalog.json`);
  return found;
}

interface ChatBody {
  model: string;
  modalities?: string[];
  messages: Array<{ role: string; content: unknown }>;
}
type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } } | { type: 'file'; file: { filename: string; file_data: string } };

interface LedgerLine {
  id: string;
  requested: { model: string };
  served: { model?: string; provider?: string };
  cost: { reportedUsd?: number; chargedUsd: number; basis?: string };
  outcome: string;
  source?: { kind: string; detail?: string };
  attribution?: Record<string, string>;
}

/**
 * Issue #8 as a user meets it in the real Chat view: a workspace image and PDF attached with
 * "Add Context…" and sent to `@perpetuo`; the "no model can read this" answer; the ask-first modal
 * when the picked model cannot read the attachment; `/image` saving into the workspace. Providers
 * are a fake OpenRouter and a fake DeepSeek on 127.0.0.1; every assertion on what was sent reads
 * the request bodies the fake upstream received. The tests run in order and share one workbench.
 */
describe('attachments and /image in the real Chat view (code-server + Chromium, as a user)', function () {
  this.timeout(10 * 60_000);
  let wb: PerpetuoWorkbench;
  const shot = createScreenshots('ui-mm', () => wb.page);

  /** Chat-completion requests to either fake provider since `from`. */
  const chatRequests = (from: number) => wb.upstream.requests.slice(from).filter((r) => CHAT_COMPLETIONS.includes(r.path));

  /** The decision log's lines, as the extension wrote them under its global storage. */
  function ledger(): LedgerLine[] {
    const dir = join(wb.profile.userData, 'User', 'globalStorage', 'perpetuo.perpetuo');
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl')) : [];
    return files
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LedgerLine)
      .filter((record) => typeof record.id === 'string' && record.requested !== undefined);
  }

  /**
   * Writes the workspace's .vscode/settings.json, as a user editing it does. VS Code watches the
   * workspace folder and applies the change a moment later. (A later write to the profile's User
   * settings.json did not reach the extension host in our runs.)
   */
  function writeWorkspaceSettings(settings: Record<string, unknown>): void {
    mkdirSync(join(wb.profile.workspace, '.vscode'), { recursive: true });
    writeFileSync(join(wb.profile.workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  }

  before(async function () {
    this.timeout(10 * 60_000);
    wb = await openPerpetuoWorkbench({
      files: { 'diagram.png': PNG, 'docs/spec.pdf': PDF },
      settings: (upstream) => ({
        'perpetuo.providers': [
          { id: 'openrouter', baseUrl: `${upstream}/or/api/v1` },
          { id: 'deepseek', baseUrl: `${upstream}/ds/v1` },
        ],
        'perpetuo.attachments.pdfEngine': 'native',
        // Auto may pick a cheap text-only model or one that reads images and PDFs: which one it
        // picks for an attachment is what the tests check.
        'perpetuo.routing.autoCandidates': ['deepseek/deepseek-chat', 'anthropic/claude-sonnet-4'],
      }),
    });
    // A request that reaches a fake provider gets a well-formed answer; the tests assert which one it was.
    wb.upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    wb.upstream.on('POST /ds/v1/chat/completions', { sse: fixture('openai-text-usage.jsonl') });
    console.log(`      profile: ${wb.profile.dir}, fake upstream: ${wb.upstream.url}`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await reportUiFailure(wb.page, shot, this.currentTest.title);
    }
  });

  after(async () => {
    await wb?.close();
  });

  it('says which modality and which models could read it when only text-only models are reachable, and sends nothing', async () => {
    await addKeyThroughUi(wb.page, 'DeepSeek', 'deepseek', DEEPSEEK_KEY);
    await pickChatModel(wb.page, 'Perpetuo Auto');
    await attachWorkspaceFile(wb.page, 'diagram.png');
    const before = wb.upstream.requests.length;
    await sendChatPrompt(wb.page, '@perpetuo what does this diagram show?');
    const transcript = await waitForTranscript(wb.page, [/No model you can reach reads images \(diagram\.png\)\. Models that can: [^\n]*\(needs an? [^)]* key\)/]);
    await shot('no-model-reads-images');
    assert.equal(transcript.match(/No model you can reach reads images/g)?.length, 1, `the error is shown once, not in the reply and again in the error box:\n${transcript}`);
    assert.doesNotMatch(transcript, /Go deeper|Compare models on this/, 'follow-ups offered after a request no model answered');
    const suggested = /Models that can: ([^\n]*)/.exec(transcript)?.[1] ?? '';
    for (const modelId of suggested.match(/[a-z0-9-]+\/[a-z0-9.:-]+/g) ?? []) {
      const readsImages = catalog.find((m) => m.id === modelId)?.endpoints.some((e) => e.inputModalities.includes('image'));
      assert.ok(readsImages, `suggested ${modelId}, which the catalog says reads no images`);
    }
    assert.deepEqual(
      chatRequests(before).map((r) => `${r.method} ${r.path}`),
      [],
      'nothing may be sent upstream when no reachable model reads the attachment',
    );
  });

  it('sends an attached image and PDF to a model that reads both: image part and native PDF file part, past a cheaper text-only model; the footer names it', async () => {
    await addKeyThroughUi(wb.page, 'OpenRouter', 'openrouter', OPENROUTER_KEY);
    await pickChatModel(wb.page, 'Perpetuo Auto');
    await attachWorkspaceFile(wb.page, 'diagram.png');
    await attachWorkspaceFile(wb.page, 'spec.pdf');
    assert.equal((await chatAttachments(wb.page)).length, 2, `attachments: ${(await chatAttachments(wb.page)).join(' | ')}`);
    const before = wb.upstream.requests.length;
    await sendChatPrompt(wb.page, '@perpetuo does the diagram match the spec?');
    const transcript = await waitForTranscript(wb.page, [/does the diagram match the spec\?[\s\S]*The tallest building needs a deep foundation\.[\s\S]* via openrouter · /]);
    await shot('image-and-pdf-answered');

    const sent = chatRequests(before);
    assert.deepEqual(
      sent.map((r) => r.path),
      ['/or/api/v1/chat/completions'],
      'one request, to OpenRouter (DeepSeek reads no images)',
    );
    assert.equal(sent[0]!.headers.authorization, `Bearer ${OPENROUTER_KEY}`);
    const body = sent[0]!.body as ChatBody;
    // DeepSeek Chat is the cheaper candidate, but it reads no images: Auto must pass it over.
    assert.equal(body.model, 'anthropic/claude-sonnet-4');
    const served = endpoint(body.model, 'openrouter');
    assert.ok(served.inputModalities.includes('image') && served.inputModalities.includes('file'), `${body.model} via openrouter: ${served.inputModalities.join(', ')}`);
    assert.match(transcript.split('does the diagram match the spec?').at(-1)!, /anthropic\/claude-sonnet-4 via openrouter · /, 'the footer names the model the request went to');

    const content = body.messages.at(-1)!.content as ContentPart[];
    assert.ok(Array.isArray(content), `the last message's content is not a list of parts: ${JSON.stringify(content).slice(0, 300)}`);
    assert.deepEqual(
      content.filter((p) => p.type === 'image_url'),
      [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }],
      'the PNG, its media type and its bytes',
    );
    // pdfEngine "native" and a model that reads PDFs: the file itself, named by its workspace path.
    assert.deepEqual(
      content.filter((p) => p.type === 'file'),
      [{ type: 'file', file: { filename: 'docs/spec.pdf', file_data: `data:application/pdf;base64,${PDF.toString('base64')}` } }],
    );
    assert.match(content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n'), /does the diagram match the spec\?/);
  });

  it('sends the PDF as extracted text when perpetuo.attachments.pdfEngine is "text"', async () => {
    // Claude Sonnet 4 reads PDFs: only the setting can make the PDF go as text.
    await pickChatModel(wb.page, 'Claude Sonnet 4', /^Claude Sonnet 4( \(.*\))?$/);
    writeWorkspaceSettings({ 'perpetuo.attachments.pdfEngine': 'text' });
    // VS Code reads the settings file again when it changes, a moment later and with no sign in the UI;
    // a request sent before that still goes natively, so ask again (a few times at most) until
    // the extension host has the new value, and check that request.
    let parts: ContentPart[] = [];
    for (let attempt = 1; ; attempt++) {
      await attachWorkspaceFile(wb.page, 'spec.pdf');
      const before = wb.upstream.requests.length;
      const prompt = `summarise the spec (${attempt})`;
      await sendChatPrompt(wb.page, `@perpetuo ${prompt}`);
      await waitForTranscript(wb.page, [new RegExp(`${escapeRegExp(prompt)}[\\s\\S]*The tallest building needs a deep foundation\\.[\\s\\S]* via openrouter · `)]);
      const sent = chatRequests(before);
      assert.equal(sent.length, 1, sent.map((r) => r.path).join(', '));
      assert.equal((sent[0]!.body as ChatBody).model, 'anthropic/claude-sonnet-4');
      const content = (sent[0]!.body as ChatBody).messages.at(-1)!.content;
      parts = typeof content === 'string' ? [{ type: 'text', text: content }] : (content as ContentPart[]);
      if (!parts.some((p) => p.type === 'file') || attempt === 5) {
        console.log(`      the setting applied by request ${attempt}`);
        break;
      }
    }
    await shot('pdf-as-text');
    assert.deepEqual(
      parts.filter((p) => p.type !== 'text'),
      [],
      'no file part with pdfEngine "text"',
    );
    const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
    assert.match(text, /\[pages 1–3 of 3 extracted as text from docs\/spec\.pdf\]/);
    assert.match(text, /Page 3: every decision is written to the log\./);
    writeWorkspaceSettings({});
  });

  it('asks first when the picked model cannot read the image: Cancel sends nothing; "Send without it" sends the text and logs the choice', async () => {
    const picked = await pickChatModel(wb.page, 'DeepSeek Chat', /^DeepSeek Chat( \(.*\))?$/);
    await attachWorkspaceFile(wb.page, 'diagram.png');
    let before = wb.upstream.requests.length;
    await sendChatPrompt(wb.page, '@perpetuo describe the diagram');
    const dialog = modalDialog(wb.page, /deepseek\/deepseek-chat cannot read images \(diagram\.png\)/);
    await dialog.waitFor({ timeout: LONG_WAIT }).catch(async (error: unknown) => {
      assert.fail(`no modal asked first (picked "${picked}"). Transcript:\n${await chatTranscript(wb.page)}\n${String(error)}`);
    });
    await shot('ask-first-modal');
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim());
    assert.deepEqual([...buttons].sort(), ['Cancel', 'Let Perpetuo pick a model', 'Send without it'].sort(), `buttons: ${buttons.join(' | ')}`);
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Cancel$/ }).click();
    await waitForTranscript(wb.page, [/describe the diagram[\s\S]*Not sent: the attachment stays, and the model cannot read it\./]);
    assert.deepEqual(chatRequests(before), [], 'Cancel sent something upstream');

    await attachWorkspaceFile(wb.page, 'diagram.png');
    before = wb.upstream.requests.length;
    const ledgerBefore = new Set(ledger().map((r) => r.id));
    await sendChatPrompt(wb.page, '@perpetuo describe the diagram anyway');
    await dialog.waitFor({ timeout: LONG_WAIT });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Send without it' }).click();
    await waitForTranscript(wb.page, [/describe the diagram anyway[\s\S]*deepseek\/deepseek-chat via (deepseek|openrouter) · /]);
    await shot('sent-without-attachment');

    const sent = chatRequests(before);
    assert.equal(sent.length, 1, sent.map((r) => r.path).join(', '));
    const body = sent[0]!.body as ChatBody;
    // DeepSeek's own API calls the model "deepseek-chat"; OpenRouter uses the catalog id.
    assert.equal(body.model, sent[0]!.path.startsWith('/ds/') ? 'deepseek-chat' : 'deepseek/deepseek-chat', `${sent[0]!.path}: ${body.model}`);
    const lastUser = JSON.stringify(body.messages.at(-1));
    assert.ok(!lastUser.includes(PNG.toString('base64').slice(0, 40)), 'the image went upstream after all');
    assert.ok(!lastUser.includes('image_url'), 'an image part went upstream after all');
    assert.match(lastUser, /describe the diagram anyway/);
    assert.match(lastUser, /\[Not attached: diagram\.png — this model cannot read images\.\]/, 'the model is told what it does not see');

    const record = await eventually(() => ledger().find((r) => !ledgerBefore.has(r.id) && r.requested.model === 'deepseek/deepseek-chat'), 'the decision log never recorded the request');
    assert.equal(record.served.model, 'deepseek/deepseek-chat');
    assert.equal(record.outcome, 'ok');
    assert.match(record.attribution?.attachmentsDropped ?? '', /diagram\.png \(deepseek\/deepseek-chat cannot read images\)/, JSON.stringify(record.attribution));
    assert.match(record.attribution?.notes ?? '', /user chose to send without diagram\.png/, JSON.stringify(record.attribution));
  });

  it('"Let Perpetuo pick a model" in the same question sends the image to a model that reads it, and logs the choice', async () => {
    // The picker still holds DeepSeek Chat from the test before.
    await attachWorkspaceFile(wb.page, 'diagram.png');
    const before = wb.upstream.requests.length;
    const ledgerBefore = new Set(ledger().map((r) => r.id));
    await sendChatPrompt(wb.page, '@perpetuo describe the diagram with a model that can');
    const dialog = modalDialog(wb.page, /deepseek\/deepseek-chat cannot read images \(diagram\.png\)/);
    await dialog.waitFor({ timeout: LONG_WAIT });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Let Perpetuo pick a model' }).click();
    await waitForTranscript(wb.page, [/describe the diagram with a model that can[\s\S]*anthropic\/claude-sonnet-4 via openrouter · /]);
    await shot('let-perpetuo-pick');

    const sent = chatRequests(before);
    assert.deepEqual(
      sent.map((r) => r.path),
      ['/or/api/v1/chat/completions'],
    );
    const body = sent[0]!.body as ChatBody;
    assert.equal(body.model, 'anthropic/claude-sonnet-4', 'Auto picks the candidate that reads images');
    assert.deepEqual(
      (body.messages.at(-1)!.content as ContentPart[]).filter((p) => p.type === 'image_url'),
      [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } }],
    );
    const record = await eventually(() => ledger().find((r) => !ledgerBefore.has(r.id) && r.requested.model === 'perpetuo/auto'), 'the decision log never recorded the request');
    assert.equal(record.served.model, 'anthropic/claude-sonnet-4');
    assert.equal(record.attribution?.attachmentsDropped, undefined, 'nothing was dropped');
    assert.match(record.attribution?.notes ?? '', /user let Perpetuo pick a model: deepseek\/deepseek-chat cannot read images \(diagram\.png\)/, JSON.stringify(record.attribution));
  });

  it('`@perpetuo /image` saves the picture into the workspace, shows its path, opens it, and logs its cost', async () => {
    wb.upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-image.jsonl') });
    await pickChatModel(wb.page, 'Perpetuo Auto');
    const before = wb.upstream.requests.length;
    const ledgerBefore = new Set(ledger().map((r) => r.id));
    await sendChatPrompt(wb.page, '@perpetuo /image a lighthouse at dusk --aspect 16:9');
    const transcript = await waitForTranscript(wb.page, [/Saved perpetuo-images\/\d{8}-\d{6}-a-lighthouse-at-dusk\.png/, /a lighthouse at dusk[\s\S]* via openrouter · [^\n]*\$0\.04/]);
    await shot('image-generated');

    const sent = chatRequests(before);
    assert.deepEqual(
      sent.map((r) => r.path),
      ['/or/api/v1/chat/completions'],
    );
    const body = sent[0]!.body as ChatBody & { image_config?: { aspect_ratio?: string } };
    assert.deepEqual(body.modalities?.includes('image'), true, `modalities: ${JSON.stringify(body.modalities)}`);
    assert.deepEqual(body.image_config, { aspect_ratio: '16:9' });
    assert.ok(endpoint(body.model, 'openrouter').outputModalities?.includes('image'), `${body.model} does not draw`);
    assert.match(JSON.stringify(body.messages.at(-1)), /a lighthouse at dusk/);

    const relative = /Saved (perpetuo-images\/\S+\.png)/.exec(transcript)![1]!;
    const saved = join(wb.profile.workspace, relative);
    assert.ok(existsSync(saved), `${saved} does not exist`);
    assert.deepEqual(readFileSync(saved), PNG, 'the saved file is the image the provider sent (gradient.png)');
    const fileName = relative.split('/').at(-1)!;
    await wb.page
      .locator('.editor-group-container .tab', { hasText: fileName })
      .first()
      .waitFor({ timeout: LONG_WAIT })
      .catch(async () => assert.fail(`no editor tab for ${fileName}; tabs: ${(await wb.page.locator('.editor-group-container .tab').allInnerTexts()).join(' | ')}`));

    const record = await eventually(() => ledger().find((r) => !ledgerBefore.has(r.id) && r.source?.detail === 'image'), 'the decision log never recorded the /image request');
    assert.equal(record.served.model, body.model);
    assert.equal(record.outcome, 'ok');
    // The fixture's usage.cost: OpenRouter reports what it charged.
    assert.equal(record.cost.reportedUsd, 0.0387);
    assert.equal(record.cost.chargedUsd, 0.0387);
    const logged = JSON.stringify(ledger());
    for (const key of [DEEPSEEK_KEY, OPENROUTER_KEY]) {
      assert.ok(!logged.includes(key), `${key.slice(0, 8)}… is in the decision log`);
    }
  });
});

async function eventually<T>(probe: () => T | undefined, message: string, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(message);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
