import * as vscode from 'vscode';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * "Ask Perpetuo about this file" in the Explorer's context menu (images, PDFs, audio, video and
 * text files): opens the Chat with `@perpetuo` typed and the file attached, ready for the
 * question. `workbench.action.chat.open` takes `attachFiles` in VS Code 1.139 (it attaches each
 * existing file before the query is placed); the participant then turns the file into an image,
 * PDF, audio, video or text part by its bytes.
 */
export function registerExplorerCommands(ctx: PerpetuoContext): void {
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand('perpetuo.askAboutFile', async (uri?: vscode.Uri, selected?: vscode.Uri[]) => {
      const files = selected?.length ? selected : [uri ?? vscode.window.activeTextEditor?.document.uri].filter((u): u is vscode.Uri => u !== undefined);
      if (files.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Right-click a file in the Explorer to ask Perpetuo about it.'));
        return;
      }
      await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@perpetuo ', isPartialQuery: true, attachFiles: files });
    }),
  );
}
