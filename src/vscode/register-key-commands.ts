import * as vscode from 'vscode';
import { maskKey } from '../core/errors/redact-secrets';
import { KEYED_PROVIDERS } from './known-providers';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * Key management from the command palette. Keys go straight from the password box into
 * SecretStorage; only masked forms are ever shown.
 */
export function registerKeyCommands(ctx: PerpetuoContext): void {
  ctx.extension.subscriptions.push(
    vscode.commands.registerCommand('perpetuo.manageKeys', () => manageKeys()),
    vscode.commands.registerCommand('perpetuo.addKey', (provider?: string) => addKey(ctx, provider)),
    vscode.commands.registerCommand('perpetuo.removeKey', (provider?: string) => removeKey(ctx, provider)),
    vscode.commands.registerCommand('perpetuo.listKeys', () => listKeys(ctx)),
  );
}

async function manageKeys(): Promise<void> {
  const actions = [
    { label: vscode.l10n.t('Add or replace a key'), command: 'perpetuo.addKey' },
    { label: vscode.l10n.t('Remove a key'), command: 'perpetuo.removeKey' },
    { label: vscode.l10n.t('List keys'), command: 'perpetuo.listKeys' },
  ];
  const picked = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('Perpetuo: Provider Keys') });
  if (picked) {
    await vscode.commands.executeCommand(picked.command);
  }
}

async function pickProvider(title: string, only?: readonly string[]): Promise<string | undefined> {
  const items = KEYED_PROVIDERS.filter((p) => !only || only.includes(p.id)).map((p) => ({ label: p.label, description: p.id, id: p.id }));
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}

async function addKey(ctx: PerpetuoContext, provider?: string): Promise<boolean> {
  const id = provider ?? (await pickProvider(vscode.l10n.t('Add a key for which provider?')));
  if (!id) {
    return false;
  }
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('API key for {0}', id),
    prompt: vscode.l10n.t('Stored in VS Code SecretStorage only. Leave empty to keep the current key.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined || !(await ctx.keys.set(id, key))) {
    return false;
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved the {0} key ({1}).', id, maskKey(key)));
  return true;
}

async function removeKey(ctx: PerpetuoContext, provider?: string): Promise<boolean> {
  const stored = await ctx.keys.providers();
  const id = provider ?? (await pickProvider(vscode.l10n.t('Remove the key of which provider?'), stored));
  if (!id || !stored.includes(id)) {
    return false;
  }
  await ctx.keys.delete(id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Removed the {0} key.', id));
  return true;
}

/** Returns the masked list too, so a test or another command can read it without a UI. */
async function listKeys(ctx: PerpetuoContext): Promise<Array<{ provider: string; masked: string }>> {
  const list: Array<{ provider: string; masked: string }> = [];
  for (const provider of await ctx.keys.providers()) {
    const key = await ctx.keys.get(provider);
    if (key) {
      list.push({ provider, masked: maskKey(key) });
    }
  }
  const text = list.length ? list.map((k) => `${k.provider}: ${k.masked}`).join(', ') : vscode.l10n.t('No keys yet.');
  void vscode.window.showInformationMessage(text);
  return list;
}
