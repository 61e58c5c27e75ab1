import * as vscode from 'vscode';
import { formatUsd, NANOS_PER_USD } from '../core/ledger/convert-usd-units';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * Today's spend against the daily budget, in the status bar; a click opens the dashboard. It
 * reads the decision log only once Perpetuo has been used in this window (or another window's
 * requests are picked up on the next refresh), so activation stays free of disk reads.
 */
export function registerStatusBar(ctx: PerpetuoContext): void {
  const item = vscode.window.createStatusBarItem('perpetuo.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Perpetuo';
  item.command = 'perpetuo.openDashboard';
  item.text = '$(pulse) Perpetuo';
  item.tooltip = vscode.l10n.t('Perpetuo: open the dashboard');
  item.show();
  const update = () => {
    const ledger = ctx.services().ledger;
    ledger.refresh();
    const spent = ledger.spendOnDayNanos();
    const budget = vscode.workspace.getConfiguration('perpetuo.guardrails').get<number | null>('dailyBudgetUsd', null);
    const budgetNanos = budget ? Math.round(budget * NANOS_PER_USD) : undefined;
    item.text = budgetNanos ? `$(pulse) ${formatUsd(spent)} / ${formatUsd(budgetNanos)}` : `$(pulse) ${formatUsd(spent)} today`;
    item.tooltip = budgetNanos
      ? vscode.l10n.t('Perpetuo: {0} of your {1} daily budget spent today. Click for the dashboard.', formatUsd(spent), formatUsd(budgetNanos))
      : vscode.l10n.t('Perpetuo: {0} spent today. Click for the dashboard.', formatUsd(spent));
    item.backgroundColor = budgetNanos && spent >= budgetNanos * 0.8 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  ctx.extension.subscriptions.push(
    item,
    ctx.onDidRecord(update),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('perpetuo.guardrails.dailyBudgetUsd')) {
        update();
      }
    }),
  );
  // After startup has settled, show the real figure if this user has used Perpetuo before.
  const timer = setTimeout(() => {
    void ctx.keys.providers().then((providers) => {
      if (providers.length > 0) {
        update();
      }
    });
  }, 3_000);
  ctx.extension.subscriptions.push({ dispose: () => clearTimeout(timer) });
}
