import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type HostToWebview, isWebviewToHost } from '../shared/webview-protocol';
import type { PerpetuoContext } from './perpetuo-context';

/** The dashboard panel: one per window, revealed when it already exists. */
export function registerDashboard(ctx: PerpetuoContext): void {
  let panel: vscode.WebviewPanel | undefined;
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand('perpetuo.openDashboard', () => {
      if (panel) {
        panel.reveal();
        return;
      }
      panel = createPanel(ctx);
      panel.onDidDispose(() => (panel = undefined));
    }),
  );
}

function createPanel(ctx: PerpetuoContext): vscode.WebviewPanel {
  const dist = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
  const media = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel('perpetuo.dashboard', vscode.l10n.t('Perpetuo Dashboard'), vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [dist, media],
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
  const post = (message: HostToWebview) => void webview.postMessage(message);
  webview.onDidReceiveMessage((message: unknown) => {
    if (!isWebviewToHost(message)) {
      ctx.log.warn('dashboard sent an unknown message; ignored');
      return;
    }
    switch (message.type) {
      case 'ready':
        post({ type: 'init', version: String(ctx.extension.extension.packageJSON.version), theme: themeKind() });
        break;
      case 'open-settings':
        void vscode.commands.executeCommand('workbench.action.openSettings', message.query);
        break;
    }
  });
  return panel;
}

function themeKind(): 'light' | 'dark' | 'high-contrast' {
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
