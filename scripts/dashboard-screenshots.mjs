// Renders each dashboard view in the light and dark themes with the browser tests' fake host
// (generated records, the real DashboardController) to docs/screenshots/dashboard-<view>-<theme>.png.
// Run after `node esbuild.mjs`: node --import tsx scripts/dashboard-screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const { launchChromium, openDashboard, startDashboardServer } = await import('../test/browser/dashboard-page.ts');
const { createTestSource } = await import('../test/browser/fake-dashboard-host.ts');

const out = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const server = await startDashboardServer();
try {
  for (const theme of ['light', 'dark']) {
    const source = createTestSource(20_000);
    const dashboard = await openDashboard(browser, server.origin, source, { theme: `vscode-${theme}`, viewport: { width: 1400, height: 860 } });
    const { page } = dashboard;
    await page.locator('.period').first().waitFor();
    await page.locator('select[aria-label="Savings baseline model"]').selectOption('anthropic/claude-sonnet-4.5');
    await page.locator('.savings .saved').waitFor();
    await shot(page, 'overview', theme);

    await page.click('#tab-log');
    await page.locator('[role=row][data-id="dec-019988"]').click();
    await page.locator('decision-detail-view table[aria-label="Candidates rejected"]').waitFor();
    await shot(page, 'decision-log', theme);

    await page.click('#tab-performance');
    await page.locator('line-chart canvas').first().waitFor();
    await shot(page, 'performance', theme);

    await page.click('#tab-budgets');
    await page.locator('budgets-view budget-gauge').first().waitFor();
    await shot(page, 'budgets', theme);
    if (dashboard.problems.length > 0) throw new Error(`the dashboard reported problems:\n${dashboard.problems.join('\n')}`);
    await dashboard.close();
  }
} finally {
  await browser.close();
  await server.close();
}

async function shot(page, view, theme) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const path = join(out, `dashboard-${view}-${theme}.png`);
  await page.screenshot({ path });
  console.log(path);
}
