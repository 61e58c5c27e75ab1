import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DashboardTheme } from '../shared/webview-protocol';
import type { DashboardDataSource } from './dashboard/dashboard-data-source';
import type { DashboardController } from './dashboard/dashboard-controller';
import { loadOnDemand } from './load-on-demand';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * The dashboard panel: one per window, revealed when it exists. `perpetuo.openDashboard` takes
 * an optional `{ decisionId }` (the chat footer's "Why this model?" button) and scrolls to it.
 */
export function registerDashboard(ctx: PerpetuoContext): void {
  let open: { panel: vscode.WebviewPanel; controller: DashboardController } | undefined;
  // The activity-bar view has no items of its own: an empty tree lets VS Code show its welcome
  // content (open the dashboard, manage keys) instead of "no data provider".
  const emptyTree: vscode.TreeDataProvider<never> = { getTreeItem: (item) => item, getChildren: () => [] };
  ctx.extension.subscriptions.push(
    vscode.window.registerTreeDataProvider('perpetuo.home', emptyTree),
    vscode.commands.registerCommand('perpetuo.openDashboard', async (args?: { decisionId?: string }) => {
      if (!open) {
        // The controller and its data source (ledger queries, guardrails, schemas) load with the
        // first panel, not at activation.
        const { createDashboardDataSource, DashboardController: Controller } = loadOnDemand(ctx.extension.extensionPath);
        open ??= createPanel(ctx, createDashboardDataSource(ctx), Controller, () => (open = undefined));
      }
      open.panel.reveal();
      if (typeof args?.decisionId === 'string') {
        open.controller.revealDecision(args.decisionId);
      }
    }),
    ctx.onDidRecord((record) => open?.controller.recordAdded(record)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('perpetuo.guardrails')) {
        open?.controller.summaryChanged();
      }
    }),
  );
}

function createPanel(
  ctx: PerpetuoContext,
  source: DashboardDataSource,
  Controller: typeof DashboardController,
  onDispose: () => void,
): { panel: vscode.WebviewPanel; controller: DashboardController } {
  const dist = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
  const media = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel('perpetuo.dashboard', vscode.l10n.t('Perpetuo Dashboard'), vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [dist, media],
    // Hidden panels are rebuilt from the host's paged queries: nothing large is kept in the webview.
    retainContextWhenHidden: false,
  });
  panel.iconPath = vscode.Uri.joinPath(media, 'perpetuo.png');
  const webview = panel.webview;
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.css'));
  webview.html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Perpetuo Dashboard</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  const controller = new Controller((message) => void webview.postMessage(message), source, {
    version: String(ctx.extension.extension.packageJSON.version),
    theme: themeKind,
    warn: (message) => ctx.log.warn(message),
  });
  const subscriptions = [
    webview.onDidReceiveMessage((message: unknown) => void controller.handle(message)),
    panel.onDidChangeViewState(() => {
      if (!panel.visible) {
        controller.webviewReset();
      }
    }),
  ];
  panel.onDidDispose(() => {
    subscriptions.forEach((s) => s.dispose());
    onDispose();
  });
  return { panel, controller };
}

function themeKind(): DashboardTheme {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast';
    default:
      return 'dark';
  }
}
