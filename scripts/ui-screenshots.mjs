// README screenshots of Perpetuo in the real VS Code (code-server 4.139.1 = VS Code 1.139.1), made
// the way test/ui/chat.test.ts drives it: the packaged .vsix in a throw-away profile, keys added
// through the command palette, providers answered by a fake upstream on 127.0.0.1.
// Writes docs/screenshots/vscode-*-{light,dark}.png:
//   vscode-code-actions   the lightbulb menu on a selection: Explain / Fix / Refactor / Add Tests
//   vscode-chat-answer    Explain picked there: the `@perpetuo /explain` answer with its footer
//                         (model · provider · why · tokens · cost · time)
//   vscode-status-bar     the status bar item with today's spend against the daily budget, and its tooltip
//   vscode-extensions     the Extensions view with Perpetuo installed, its details page open
//   vscode-model-picker   the chat model picker filtered to the four Perpetuo routes, Perpetuo Auto picked
// Each in both themes, as vscode-<name>-light.png (Default Light Modern) and vscode-<name>-dark.png
// (Default Dark Modern); the README shows the one matching the reader's colour scheme.
// Usage: node --import tsx scripts/ui-screenshots.mjs [--theme light|dark]   (default: both)
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ui = await import('../test/ui/perpetuo-workbench.ts');
const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const RETRY_TS = `/** Calls \`attempt\` until it succeeds, waiting longer after each failure. */
export async function withRetry<T>(attempt: () => Promise<T>, retries = 3, baseDelayMs = 250): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= retries) throw error;
      const delay = baseDelayMs * 2 ** tries + Math.random() * baseDelayMs;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
`;

const ANSWER = [
  '`withRetry` runs `attempt` and, if it throws, tries again up to `retries` more times.\n\n',
  'Between tries it waits with **exponential backoff plus jitter**: `baseDelayMs * 2^tries`, ',
  'plus a random slice of `baseDelayMs`, so many clients retrying at once do not hit the server in lockstep ',
  '(250 ms, ~500 ms, ~1 s with the defaults).\n\n',
  'Once the retries are used up it rethrows the last error unchanged, so callers see the real cause. ',
  'Note that it retries *every* error: a 400 or an auth failure is retried as eagerly as a timeout.',
];

/** An OpenAI-compatible stream (OpenRouter flavour: cost in the usage chunk) of `pieces`. */
function stream(model, pieces, usage) {
  const chunk = (delta, extra = {}) => ({ data: { id: 'gen-screenshot', model, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra } });
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((content) => chunk({ content })),
    { data: { id: 'gen-screenshot', model, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } },
    { data: { id: 'gen-screenshot', model, object: 'chat.completion.chunk', choices: [], usage } },
    { raw: 'data: [DONE]\n\n' },
  ];
}

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };
const only = process.argv.includes('--theme') ? process.argv[process.argv.indexOf('--theme') + 1] : undefined;
if (only !== undefined && !(only in THEMES)) throw new Error(`--theme ${only}: expected light or dark`);
for (const theme of only ? [only] : Object.keys(THEMES)) {
  await renderScreenshots(theme);
}

/** One throw-away workbench in `theme`, walked through the five views. */
async function renderScreenshots(theme) {
  const wb = await ui.openPerpetuoWorkbench({
    viewport: { width: 1500, height: 880 },
    files: { 'src/retry.ts': RETRY_TS },
    settings: (upstream) => ({
      'perpetuo.providers': [
        { id: 'openrouter', baseUrl: `${upstream}/or/api/v1` },
        { id: 'openai', baseUrl: `${upstream}/oa/v1` },
      ],
      'perpetuo.guardrails.dailyBudgetUsd': 5,
      'workbench.colorTheme': THEMES[theme],
      'editor.minimap.enabled': false,
      'window.commandCenter': true,
    }),
  });
  const { page, upstream } = wb;
  const shot = async (name, options = {}) => {
    const path = join(out, `vscode-${name}-${theme}.png`);
    await page.screenshot({ path, ...options });
    console.log(`wrote ${path}`);
  };

  try {
    upstream.on('POST /or/api/v1/chat/completions', {
      sse: stream('anthropic/claude-sonnet-4', ANSWER, { prompt_tokens: 412, completion_tokens: 138, total_tokens: 550, cost: 0.003306 }),
    });
    await ui.addKeyThroughUi(page, 'OpenRouter', 'openrouter', `sk-or-v1-${'5c'.repeat(32)}`);
    await ui.addKeyThroughUi(page, 'OpenAI', 'openai', `sk-proj-${'Screenshot'.repeat(5)}`);
    await page.keyboard.press('Escape');
    await clearNotifications(page);
    await widenChatView(page, 580);

    const picked = await ui.pickChatModel(page, 'Claude Sonnet 4', /^Claude Sonnet 4 \(/);
    console.log(`picked ${picked}`);

    // 1. The lightbulb on a selection.
    await ui.runCommand(page, 'Go to File...');
    await page.keyboard.type('retry.ts');
    await ui.quickPickRow(page, 'retry.ts').first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'withRetry' }).first().waitFor();
    await editor.locator('.view-line', { hasText: 'withRetry' }).first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowDown');
    for (let i = 0; i < 9; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    const lightbulb = page.locator('.lightBulbWidget .codicon, .lightBulbWidget').first();
    await lightbulb.waitFor({ timeout: 30_000 });
    await lightbulb.click();
    const menu = page.locator('.action-widget');
    await menu.locator('.monaco-list-row', { hasText: 'Add Tests with Perpetuo' }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(400);
    await shot('code-actions');

    // 2. Explain from the lightbulb: the answer streams in the Chat view, with its footer.
    await menu.locator('.monaco-list-row', { hasText: 'Explain with Perpetuo' }).first().click();
    await ui.waitForTranscript(page, ['exponential backoff', /anthropic\/claude-sonnet-4 via openrouter · .*\$0\.0033/]);
    await page.locator('.interactive-list .monaco-button', { hasText: 'Why this model?' }).last().waitFor();
    await page.waitForTimeout(800);
    await shot('chat-answer');

    // 3. Today's spend in the status bar, with its tooltip.
    const status = ui.perpetuoStatusItem(page);
    await status.filter({ hasText: '$0.0033 / $5.00' }).waitFor({ timeout: 30_000 });
    await status.hover();
    await page.locator('.monaco-hover, .workbench-hover', { hasText: 'daily budget' }).first().waitFor({ timeout: 15_000 });
    const viewport = page.viewportSize();
    await shot('status-bar', { clip: { x: viewport.width - 560, y: viewport.height - 150, width: 560, height: 150 } });
    await page.mouse.move(10, 10);

    // 4. The Extensions view: Perpetuo installed, its page open.
    await ui.runCommand(page, 'Extensions: Show Installed Extensions');
    const entry = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Perpetuo' }).first();
    await entry.waitFor({ timeout: 30_000 });
    await entry.click();
    await page.locator('.extension-editor .name', { hasText: 'Perpetuo' }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    await shot('extensions');

    // 5. The model picker: Perpetuo Auto picked, the list filtered to the four Perpetuo routes, the
    // first one hovered for its card. (The picker is narrow: long route details truncate the names.)
    await ui.runCommand(page, 'View: Close All Editors');
    await page.locator('.part.auxiliarybar .action-label[aria-label^="New Chat"]').first().click();
    await page.locator('.interactive-list .interactive-request').first().waitFor({ state: 'detached', timeout: 30_000 });
    await ui.pickChatModel(page, 'Perpetuo Auto');
    await (await ui.chatModelPicker(page)).click();
    const filter = page.locator('.action-widget .action-list-filter-input');
    await filter.waitFor();
    await filter.pressSequentially('Perpetuo', { delay: 30 });
    const routes = page.locator('.action-widget .monaco-list-row.action');
    await routes.filter({ hasText: 'Perpetuo Reliable' }).waitFor();
    await routes.first().hover();
    await page.getByText('Max context').first().waitFor({ timeout: 15_000 }).catch(() => console.log('(no hover card on the picker row)'));
    await page.waitForTimeout(500);
    const size = page.viewportSize();
    await shot('model-picker', { clip: { x: size.width - 820, y: 0, width: 820, height: size.height } });
    await page.keyboard.press('Escape');
  } catch (error) {
    const failure = join(tmpdir(), `perpetuo-ui-screenshots-failure-${theme}.png`);
    await page.screenshot({ path: failure }).catch(() => undefined);
    console.error(`failed (the window then: ${failure}); chat transcript:\n${await ui.chatTranscript(page)}`);
    throw error;
  } finally {
    await wb.close();
  }
}

/** Drags the sash on the Chat view's left edge until the view is `width` px wide. */
async function widenChatView(page, width) {
  const chat = await page.locator('.part.auxiliarybar').boundingBox();
  if (!chat) throw new Error('the Chat view (secondary side bar) is not open');
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) =>
    els.map((e) => e.getBoundingClientRect()).filter((r) => r.height > 200).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
  );
  const sash = sashes.sort((a, b) => Math.abs(a.x - chat.x) - Math.abs(b.x - chat.x))[0];
  if (!sash || Math.abs(sash.x - chat.x) > 10) throw new Error(`no sash on the Chat view's edge (x ${chat.x}): ${JSON.stringify(sashes)}`);
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(sash.x - (width - chat.width), sash.y, { steps: 12 });
  await page.mouse.up();
  const after = await page.locator('.part.auxiliarybar').boundingBox();
  console.log(`Chat view: ${Math.round(chat.width)} px → ${Math.round(after?.width ?? 0)} px wide`);
}

async function clearNotifications(page) {
  await ui.runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}
