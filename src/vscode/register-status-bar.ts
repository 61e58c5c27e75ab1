import * as vscode from 'vscode';
import type { PerpetuoContext } from './perpetuo-context';

/** The status bar entry: a click opens the dashboard. */
export function registerStatusBar(ctx: PerpetuoContext): void {
  const item = vscode.window.createStatusBarItem('perpetuo.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Perpetuo';
  item.text = '$(pulse) Perpetuo';
  item.tooltip = vscode.l10n.t('Perpetuo: open the dashboard');
  item.command = 'perpetuo.openDashboard';
  item.show();
  ctx.extension.subscriptions.push(item);
}
