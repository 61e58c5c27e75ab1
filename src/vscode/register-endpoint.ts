import * as vscode from 'vscode';
import { LocalEndpoint, type EndpointAppArguments, type EndpointStartArguments, type EndpointStatus } from './endpoint/local-endpoint';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * The localhost endpoint inside VS Code: `src/server`'s server over this window's routing engine
 * (same router, guardrails, budgets and decision log as the editor), with tokens per app kept in
 * SecretStorage only. Off by default; `perpetuo.endpoint.enabled` starts it once activation has
 * finished. One window owns the port: a window that finds it taken by another window's Perpetuo
 * says so (and takes over when that window closes); a port held by another program is reported
 * with how to pick another. Every command takes arguments, so tests drive it without UI; no
 * command ever returns or logs a token.
 */
export function registerEndpoint(ctx: PerpetuoContext): void {
  const endpoint = new LocalEndpoint(ctx);
  const item = vscode.window.createStatusBarItem('perpetuo.endpoint', vscode.StatusBarAlignment.Right, 99);
  item.name = vscode.l10n.t('Perpetuo Local Endpoint');
  item.command = 'perpetuo.endpoint.status';
  const showState = (): void => {
    const status = endpoint.status();
    if (status.owner === 'none' && !endpoint.wanted) {
      item.hide();
      return;
    }
    if (status.owner === 'this-window') {
      item.text = `$(radio-tower) ${status.port}`;
      item.tooltip = vscode.l10n.t('Perpetuo: this window serves the local endpoint at http://{0}:{1} (OpenAI: /v1, Anthropic: /). Click for its status.', status.host, String(status.port));
    } else if (status.owner === 'other-window') {
      item.text = `$(radio-tower) ${status.port}↗`;
      item.tooltip = status.message ?? '';
    } else {
      item.text = '$(warning) ' + vscode.l10n.t('Endpoint');
      item.tooltip = status.message ?? vscode.l10n.t('The Perpetuo local endpoint is not running.');
    }
    item.show();
  };
  endpoint.onDidChange = showState;

  ctx.extension.subscriptions.push(
    item,
    endpoint,
    vscode.commands.registerCommand('perpetuo.endpoint.start', (args?: EndpointStartArguments) => endpoint.start(args ?? {}, 'command')),
    vscode.commands.registerCommand('perpetuo.endpoint.stop', () => endpoint.stop()),
    vscode.commands.registerCommand('perpetuo.endpoint.status', () => showStatus(endpoint)),
    vscode.commands.registerCommand('perpetuo.endpoint.copyToken', (args?: { name?: string }) => endpoint.copyToken(args?.name)),
    vscode.commands.registerCommand('perpetuo.endpoint.rotateToken', (args?: { name?: string }) => endpoint.rotateToken(args?.name)),
    vscode.commands.registerCommand('perpetuo.endpoint.addApp', (args?: EndpointAppArguments) => endpoint.addApp(args)),
    vscode.commands.registerCommand('perpetuo.endpoint.removeApp', (args?: { name?: string }) => endpoint.removeApp(args?.name)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('perpetuo.endpoint.enabled')) {
        if (settings().get<boolean>('enabled', false)) {
          void endpoint.start({}, 'setting');
        } else {
          void endpoint.stop();
        }
      } else if (event.affectsConfiguration('perpetuo.endpoint.port')) {
        void endpoint.settingPortChanged();
      } else if (event.affectsConfiguration('perpetuo.endpoint.allowedOrigins')) {
        void endpoint.restartIfServing();
      }
    }),
  );

  if (settings().get<boolean>('enabled', false)) {
    // After activate() has returned: listening (and reading SecretStorage) never delays activation.
    const timer = setTimeout(() => void endpoint.start({}, 'setting'), 0);
    ctx.extension.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('perpetuo.endpoint');
}

async function showStatus(endpoint: LocalEndpoint): Promise<EndpointStatus> {
  const status = endpoint.status();
  const copy = vscode.l10n.t('Copy Token');
  const stop = vscode.l10n.t('Stop');
  const start = vscode.l10n.t('Start');
  let text: string;
  let actions: string[];
  if (status.owner === 'this-window') {
    text = vscode.l10n.t(
      'This window serves the Perpetuo endpoint: OpenAI clients use base URL http://{0}:{1}/v1, Anthropic clients http://{0}:{1}, with an endpoint token as the API key.',
      status.host,
      String(status.port),
    );
    actions = [copy, stop];
  } else {
    text = status.message ?? vscode.l10n.t('The Perpetuo local endpoint is not running.');
    actions = status.owner === 'other-window' ? [copy] : [start];
  }
  void vscode.window.showInformationMessage(text, ...actions).then((picked) => {
    if (picked === copy) {
      void vscode.commands.executeCommand('perpetuo.endpoint.copyToken');
    } else if (picked === stop) {
      void vscode.commands.executeCommand('perpetuo.endpoint.stop');
    } else if (picked === start) {
      void vscode.commands.executeCommand('perpetuo.endpoint.start');
    }
  });
  return status;
}

