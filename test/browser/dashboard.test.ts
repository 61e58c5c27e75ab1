import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { QueryMessage } from '../../src/shared/webview-protocol';
import { type DashboardPage, launchChromium, openDashboard, startDashboardServer } from './dashboard-page';
import { TEST_NOW, createTestSource } from './fake-dashboard-host';
import { generateLedgerRecords } from './generate-ledger-records';
import type { InMemoryDataSource } from './in-memory-data-source';

// Run after `node esbuild.mjs`: these tests load dist/webview as the panel does.
describe('dashboard webview (headless Chromium, panel CSP)', function () {
  let browser: Browser;
  let server: { origin: string; close: () => Promise<void> };
  let dashboard: DashboardPage | undefined;

  before(async () => {
    browser = await launchChromium();
    server = await startDashboardServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async function () {
    const problems = dashboard?.problems ?? [];
    await dashboard?.close();
    dashboard = undefined;
    // Every test doubles as a CSP check: any blocked style or script, page error or console error fails it.
    if (this.currentTest?.state === 'passed') assert.deepEqual(problems, []);
  });

  async function open(source: InMemoryDataSource, theme?: 'vscode-light' | 'vscode-dark' | 'vscode-high-contrast') {
    dashboard = await openDashboard(browser, server.origin, source, { theme });
    return dashboard;
  }

  const queries = (d: DashboardPage, type: QueryMessage['type']) => d.sent.filter((m): m is QueryMessage => m.type === type);

  it('catches a CSP violation when one happens (so the clean runs mean something)', async () => {
    const d = await open(createTestSource(10));
    await d.page.locator('.period').first().waitFor();
    await d.page.evaluate(() => document.querySelector('#app')!.setAttribute('style', 'color: red'));
    for (let i = 0; i < 50 && !d.problems.some((p) => p.startsWith('CSP: ')); i++) await d.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 20)));
    const problems = d.problems.splice(0);
    // Chromium reports it twice: the violation event, and a console error naming the directive.
    assert.ok(problems.some((p) => /^CSP: style-src-attr blocked inline/.test(p)), problems.join('\n'));
    assert.ok(problems.every((p) => /^CSP: |^console: .*Content Security Policy/.test(p)), problems.join('\n'));
  });

  it('shows period spend against budgets, breakdowns and the savings against a picked baseline', async () => {
    const source = createTestSource(3000);
    const { page } = await open(source);
    const today = page.locator('.period', { hasText: 'Today' });
    await today.locator('budget-gauge [role=meter]').waitFor();
    assert.equal(await today.locator('budget-gauge [role=meter]').getAttribute('aria-valuetext'), '$4.30 of $5.00');
    const spentToday = source.aggregate('source', Date.UTC(2026, 2, 18)).reduce((sum, row) => sum + row.chargedUsd, 0);
    assert.equal(await today.locator('.amount').textContent(), `$${spentToday.toFixed(2)}`);
    const providers = page.locator('section[aria-label="By provider"] tbody tr');
    // Five providers, and the blocked requests that reached none.
    assert.equal(await providers.count(), 6);
    assert.match((await providers.first().textContent()) ?? '', /anthropic/);

    await page.locator('select[aria-label="Savings baseline model"]').selectOption('anthropic/claude-sonnet-4.5');
    const result = page.locator('.savings .saved');
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', /Saved \$\d/);
    const savings = queries(dashboard!, 'query-savings');
    assert.equal(savings.length, 1);
    assert.equal((savings[0] as QueryMessage<'query-savings'>).baselineModel, 'anthropic/claude-sonnet-4.5');
  });

  it('pages 100,000 records from the host: only the pages in view are asked for, never the log', async () => {
    const source = createTestSource(100_000);
    const d = await open(source);
    const { page } = d;
    await page.click('#tab-log');
    await page.locator('[role=row][data-id="dec-099999"]').waitFor();
    assert.match((await page.locator('.count [role=status]').first().textContent()) ?? '', /100,000 requests/);
    assert.equal(await page.locator('[role=grid]').getAttribute('aria-rowcount'), '100001');

    // Scroll to the middle, then to the end: rows there appear, fetched by their own pages.
    await page.locator('[role=grid]').evaluate((grid) => (grid.scrollTop = 50_000 * 26));
    await page.locator('[role=row][data-id="dec-049999"]').waitFor();
    await page.locator('[role=grid]').evaluate((grid) => (grid.scrollTop = grid.scrollHeight));
    await page.locator('[role=row][data-id="dec-000000"]').waitFor();
    await d.settle();

    const pages = queries(d, 'query-records') as Array<QueryMessage<'query-records'>>;
    assert.ok(pages.every((m) => m.limit <= 100), 'every request is one page');
    const rowsShipped = d.posted.reduce((sum, m) => sum + (m.type === 'response' && m.ok && m.query === 'query-records' ? m.result.rows.length : 0), 0);
    assert.ok(rowsShipped <= 1000, `shipped ${rowsShipped} rows`);
    assert.ok(source.searchCalls.every((call) => (call.limit ?? Infinity) <= 100));
    assert.ok((await page.locator('records-table [role=row]').count()) < 120, 'only the rows in view are in the DOM');
  });

  it('filters by provider, outcome and text through the host', async () => {
    const source = createTestSource(5000);
    const d = await open(source);
    const { page } = d;
    await page.click('#tab-log');
    await page.locator('[role=row][data-id]').first().waitFor();
    await page.locator('select[aria-label="Provider filter"] option[value="groq"]').waitFor({ state: 'attached' });

    await page.locator('select[aria-label="Provider filter"]').selectOption('groq');
    const expected = source.filter({ provider: 'groq' }).length;
    await page.locator('.count', { hasText: `${expected.toLocaleString('en-US')} requests` }).waitFor();
    const providers = await page.locator('records-table [role=row][data-id] [role=gridcell]:nth-child(4)').allTextContents();
    assert.ok(providers.length > 10 && providers.every((text) => text.trim() === 'groq'), providers.join(','));

    await page.locator('select[aria-label="Outcome filter"]').selectOption('error');
    const errors = source.filter({ provider: 'groq', outcome: 'error' }).length;
    await page.locator('.count', { hasText: `${errors} requests` }).waitFor();

    await page.locator('button', { hasText: 'Clear filters' }).first().click();
    await page.locator('input[aria-label="Search the decision log"]').fill('dec-00412');
    await page.locator('input[aria-label="Search the decision log"]').press('Enter');
    await page.locator('.count', { hasText: '10 requests' }).waitFor();
    const last = queries(d, 'query-records').at(-1) as QueryMessage<'query-records'>;
    assert.deepEqual(last.filters, { range: 'all', text: 'dec-00412' });

    await page.locator('input[aria-label="Search the decision log"]').fill('no such thing anywhere');
    await page.locator('input[aria-label="Search the decision log"]').press('Enter');
    await page.locator('status-message', { hasText: 'No requests match these filters.' }).waitFor();
  });

  it('opens the full decision: kept and rejected candidates with reasons, attempts with errors, tokens, cost', async () => {
    const source = createTestSource(200);
    const { page } = await open(source);
    await page.click('#tab-log');
    // dec-000197 fell back (every 9th): its first attempt failed with a rate limit.
    await page.locator('[role=row][data-id="dec-000197"]').click();
    const detail = page.locator('decision-detail-view');
    await detail.locator('table[aria-label="Candidates rejected"]').waitFor();
    const rejected = await detail.locator('table[aria-label="Candidates rejected"] tbody tr').allTextContents();
    assert.equal(rejected.length, 3);
    assert.match(rejected[0] ?? '', /openai\/gpt-4\.1.*context-length.*window is 128,000/s);
    assert.match(rejected[2] ?? '', /zdr-required/);
    assert.equal(await detail.locator('table[aria-label="Candidates kept"] tbody tr').count(), 2);
    const attempts = await detail.locator('table[aria-label="Attempts"] tbody tr').allTextContents();
    assert.equal(attempts.length, 3, 'two attempts, the first with its error on a row of its own');
    assert.match(attempts[0] ?? '', /error\s*310 ms/);
    assert.match(attempts[1] ?? '', /rate-limit: 429 Too Many Requests: retry after 20 s/);
    assert.match(attempts[2] ?? '', /\bok\b/);
    assert.match((await detail.locator('section[aria-label="Cost"]').textContent()) ?? '', /Reported by provider\s*\$0\.\d+/);
    assert.match((await detail.locator('section[aria-label="Timings and tokens"]').textContent()) ?? '', /cache read [\d,]+/);
    assert.equal(await detail.locator('section[aria-label="Request"] code').first().textContent(), 'dec-000197');
  });

  it('is keyboard-navigable: arrow keys between tabs, through rows, Enter opens, Escape closes, focus visible', async () => {
    const source = createTestSource(300);
    const { page } = await open(source);
    await page.locator('.period').first().waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id), 'tab-overview');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('#tab-log').getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.id), 'tab-log');

    const grid = page.locator('[role=grid]');
    await page.locator('[role=row][data-id]').first().waitFor();
    await grid.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'row-3');
    const activeRow = page.locator('records-table #row-3');
    assert.notEqual(await activeRow.evaluate((row) => getComputedStyle(row).outlineStyle), 'none', 'the active row shows focus');
    const id = await activeRow.getAttribute('data-id');
    await page.keyboard.press('End');
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'row-299');
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('decision-detail-view dd code', { hasText: id ?? '?' }).waitFor();
    assert.equal(await page.locator('records-table #row-3').getAttribute('aria-selected'), 'true');
    await page.locator('decision-detail-view button', { hasText: 'Close' }).focus();
    await page.keyboard.press('Escape');
    await page.locator('decision-detail-view').waitFor({ state: 'detached' });
  });

  it('reveals a decision the host names: log scrolled to it, row active, detail open', async () => {
    const source = createTestSource(20_000);
    const d = await open(source);
    await d.page.locator('.period').first().waitFor();
    d.controller.revealDecision('dec-012345');
    // Newest first: dec-012345 is row 20,000 − 1 − 12,345.
    const row = d.page.locator('records-table #row-7654[data-id]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-id'), 'dec-012345');
    assert.equal(await d.page.locator('#tab-log').getAttribute('aria-selected'), 'true');
    assert.equal(await d.page.locator('[role=grid]').getAttribute('aria-activedescendant'), 'row-7654');
    await d.page.locator('decision-detail-view dd code', { hasText: 'dec-012345' }).waitFor();
  });

  it('updates live when the host pushes record-added', async () => {
    const source = createTestSource(50);
    const d = await open(source);
    await d.page.click('#tab-log');
    await d.page.locator('.count', { hasText: '50 requests' }).waitFor();
    const [record] = generateLedgerRecords(1, TEST_NOW + 1000, 1000, 99);
    assert.ok(record);
    record.id = 'dec-live-1';
    source.add(record);
    d.controller.recordAdded(record);
    await d.page.locator('.count', { hasText: '51 requests' }).waitFor();
    assert.equal(await d.page.locator('records-table #row-0').getAttribute('data-id'), 'dec-live-1');
  });

  it('shows the empty state when nothing has been logged', async () => {
    const { page } = await open(createTestSource(0));
    await page.locator('overview-view status-message', { hasText: 'No requests yet — ask @perpetuo something' }).waitFor();
    await page.click('#tab-log');
    await page.locator('decision-log-view status-message', { hasText: 'No requests yet — ask @perpetuo something' }).waitFor();
    await page.click('#tab-budgets');
    await page.locator('budgets-view status-message', { hasText: 'No budgets set.' }).waitFor();
  });

  it('shows the host error with a retry that recovers', async () => {
    const source = createTestSource(100);
    source.failure = 'ledger is locked by another process';
    const { page } = await open(source);
    const error = page.locator('overview-view status-message[kind=error]');
    await error.locator('[role=alert]', { hasText: 'ledger is locked by another process' }).waitFor();
    source.failure = undefined;
    await error.locator('button', { hasText: 'Retry' }).click();
    await page.locator('.period').first().waitFor();
    assert.equal(await page.locator('overview-view status-message[kind=error]').count(), 0);

    source.failure = 'disk read failed';
    await page.click('#tab-log');
    const logError = page.locator('decision-log-view status-message[kind=error]');
    await logError.locator('[role=alert]', { hasText: 'disk read failed' }).waitFor();
    source.failure = undefined;
    await logError.locator('button', { hasText: 'Retry' }).click();
    await page.locator('[role=row][data-id]').first().waitFor();
    // The host logged each failure it answered; those are expected here, anything else is not.
    const problems = dashboard!.problems.splice(0);
    assert.ok(problems.length > 0 && problems.every((p) => /^host warning: dashboard: query-\w+ failed: (ledger is locked|disk read failed)/.test(p)), problems.join('\n'));
  });

  it('follows the theme through VS Code body classes alone', async () => {
    const { page } = await open(createTestSource(100), 'vscode-light');
    const tab = page.locator('#tab-overview');
    await page.locator('.period').first().waitFor();
    const read = () =>
      page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.querySelector('dashboard-app')!.shadowRoot!.querySelector('#tab-overview')!).color,
      }));
    const light = await read();
    assert.deepEqual(light, { background: 'rgb(255, 255, 255)', text: 'rgb(59, 59, 59)' });
    await page.evaluate(() => document.body.classList.replace('vscode-light', 'vscode-dark'));
    assert.deepEqual(await read(), { background: 'rgb(31, 31, 31)', text: 'rgb(204, 204, 204)' });
    await page.evaluate(() => document.body.classList.replace('vscode-dark', 'vscode-high-contrast'));
    assert.deepEqual(await read(), { background: 'rgb(0, 0, 0)', text: 'rgb(255, 255, 255)' });
    assert.equal(await tab.evaluate((el) => getComputedStyle(el).textTransform), 'uppercase', 'component styles apply under the CSP');
  });

  it('draws performance charts and a percentile table per provider', async () => {
    const { page } = await open(createTestSource(3000));
    await page.click('#tab-performance');
    const rows = page.locator('performance-view table[aria-label="Performance per provider"] tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5);
    assert.equal(await page.locator('line-chart canvas').count(), 4);
    assert.match((await rows.first().textContent()) ?? '', /\d+ ms \/ .* \/ /);
    await page.locator('select[aria-label="Group performance by"]').selectOption('model');
    await page.locator('performance-view table[aria-label="Performance per model"]').waitFor();
  });

  it('shows budget gauges, opens settings to edit one, and exports through the host', async () => {
    const source = createTestSource(100);
    const { page } = await open(source);
    await page.click('#tab-budgets');
    const meters = page.locator('budgets-view budget-gauge [role=meter]');
    await meters.first().waitFor();
    assert.equal(await meters.count(), 4);
    await page.locator('budgets-view button[aria-label="Edit the Global weekly budget"]').click();
    await page.locator('budgets-view button', { hasText: 'Export CSV' }).click();
    await page.locator('budgets-view [role=status]', { hasText: 'Exported 100 records to /tmp/perpetuo-ledger.csv.' }).waitFor();
    assert.deepEqual(source.settingsCalls, ['perpetuo.budget.weekly']);
    assert.deepEqual(source.exportCalls.map((call) => call.format), ['csv']);
  });
});
