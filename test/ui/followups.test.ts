import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readSseFixture } from '../support/fake-upstream';
import {
  LONG_WAIT,
  REPO_ROOT,
  addKeyThroughUi,
  openPerpetuoWorkbench,
  pickChatModel,
  sendChatPrompt,
  waitForTranscript,
  type PerpetuoWorkbench,
  createScreenshots,
  reportUiFailure,
} from './perpetuo-workbench';

const OPENROUTER_KEY = `sk-or-v1-${'7c2e9b14a0d36f58'.repeat(3)}`;
const fixture = (name: string) => readSseFixture(join(REPO_ROOT, 'test/fixtures/openai-compatible', name));

/**
 * The `@perpetuo` participant's follow-ups (its `followupProvider`) in the real Chat view of VS Code
 * 1.139.1 (code-server in Chromium): after an answer the view shows them above the input, and
 * clicking one sends it as the next request, which reaches the fake OpenRouter on 127.0.0.1.
 */
describe('Chat follow-ups of @perpetuo in the real VS Code UI', function () {
  this.timeout(10 * 60_000);
  let wb: PerpetuoWorkbench;
  const shot = createScreenshots('followups', () => wb.page);

  before(async function () {
    this.timeout(10 * 60_000);
    wb = await openPerpetuoWorkbench({
      settings: (upstream) => ({
        'perpetuo.providers': [{ id: 'openrouter', baseUrl: `${upstream}/or/api/v1` }],
        'perpetuo.chat.model': 'anthropic/claude-sonnet-4',
      }),
    });
    wb.upstream.on('POST /or/api/v1/chat/completions', { sse: fixture('openrouter-text-cost.jsonl') });
    await addKeyThroughUi(wb.page, 'OpenRouter', 'openrouter', OPENROUTER_KEY);
    await pickChatModel(wb.page, 'Claude Sonnet 4', /^Claude Sonnet 4 \(.*openrouter.*\)$/);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await reportUiFailure(wb.page, shot, this.currentTest.title);
    }
  });

  after(async () => {
    await wb?.close();
  });

  /** The follow-up links of the last answer: VS Code 1.139 shows them above the chat input. */
  const followups = () => wb.page.locator('.interactive-input-part .interactive-session-followups').last().locator('.monaco-button');

  it('shows the follow-ups after an answer', async () => {
    await sendChatPrompt(wb.page, '@perpetuo what is a foundation?');
    await waitForTranscript(wb.page, ['The tallest building needs a deep foundation.', /anthropic\/claude-sonnet-4 via openrouter/]);
    await followups().first().waitFor({ timeout: LONG_WAIT });
    const labels = (await followups().allInnerTexts()).map((label) => label.trim());
    assert.deepEqual(labels, ['Go deeper', 'Compare models on this']);
  });

  it('sends "Go deeper" as the next @perpetuo request when clicked', async () => {
    const before = wb.upstream.requests.length;
    const answers = await wb.page.locator('.interactive-list .interactive-response').count();
    await followups().filter({ hasText: 'Go deeper' }).click();
    // A second answer appears, with its own footer, and the fake upstream saw the follow-up prompt.
    await wb.page.waitForFunction((count) => document.querySelectorAll('.interactive-list .interactive-response').length > count, answers, { timeout: LONG_WAIT });
    await waitForTranscript(wb.page, [/Explain that in more detail/, /(anthropic\/claude-sonnet-4 via openrouter[\s\S]*){2}/]);
    const sent = wb.upstream.requests.slice(before).filter((r) => r.path === '/or/api/v1/chat/completions');
    assert.equal(sent.length, 1, `requests after the click: ${sent.map((r) => r.path).join(', ')}`);
    const messages = (sent[0]!.body as { messages: Array<{ role: string; content: unknown }> }).messages;
    assert.match(JSON.stringify(messages.at(-1)), /Explain that in more detail/);
    // The history went along: the first question and its answer come before the follow-up.
    assert.match(JSON.stringify(messages.slice(0, -1)), /what is a foundation\?/);
    assert.match(JSON.stringify(messages.slice(0, -1)), /The tallest building needs a deep foundation\./);
  });

  it('"Compare models on this" asks the question itself of several models', async () => {
    await sendChatPrompt(wb.page, '@perpetuo why are towers tall?');
    await waitForTranscript(wb.page, [/why are towers tall\?[\s\S]*The tallest building needs a deep foundation\./]);
    const compare = followups().filter({ hasText: 'Compare models on this' });
    await compare.waitFor({ timeout: LONG_WAIT });
    const before = wb.upstream.requests.length;
    await compare.click();
    await waitForTranscript(wb.page, [/\/compare why are towers tall\?/]);
    // The compare asks its models at once; wait until they have all been asked.
    const compared = () => wb.upstream.requests.slice(before).filter((r) => r.path === '/or/api/v1/chat/completions');
    const deadline = Date.now() + LONG_WAIT;
    while (compared().length < 2) {
      assert.ok(Date.now() < deadline, `the compare asked ${compared().length} model(s)`);
      await wb.page.waitForTimeout(100);
    }
    // The answer is written once every model has answered: each in its own section, with its footer.
    await waitForTranscript(
      wb.page,
      compared().map((r) => `${(r.body as { model: string }).model} via openrouter`),
    );
    const sent = compared();
    const models = sent.map((r) => (r.body as { model: string }).model);
    assert.ok(new Set(models).size >= 2, `one request per compared model, got ${models.join(', ')}`);
    for (const request of sent) {
      const last = (request.body as { messages: Array<{ content: unknown }> }).messages.at(-1);
      assert.match(JSON.stringify(last), /why are towers tall\?/, 'each model got the question, not a placeholder');
    }
  });
});
