import * as vscode from 'vscode';
import type { RoutableModel, RoutingEngine } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import { KeyStore } from './key-store';

/**
 * What the registrations share. Created once in activate() and cheap: no network, no disk
 * scans. The routing engine (catalog, router, guardrails, ledger) is built on first use and
 * rebuilt when keys change.
 */
export interface PerpetuoContext {
  extension: vscode.ExtensionContext;
  keys: KeyStore;
  log: vscode.LogOutputChannel;
  /** The engine for the user's current keys; rejects with an actionable error when there are none. */
  engine(): Promise<RoutingEngine>;
  /** Routes and models the user can reach now (empty without keys). */
  routableModels(): Promise<RoutableModel[]>;
  countTokens(text: string): number;
  onDidChangeModels: vscode.Event<void>;
}

export const NO_KEYS_MESSAGE =
  'No provider keys yet. Run "Perpetuo: Manage Provider Keys" to add one (or configure a local server such as Ollama in Settings › Perpetuo).';

export function createPerpetuoContext(
  extension: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  buildEngine: (keys: KeyStore) => Promise<RoutingEngine | undefined>,
): PerpetuoContext {
  const keys = new KeyStore(extension.secrets);
  const modelsChanged = new vscode.EventEmitter<void>();
  let current: Promise<RoutingEngine | undefined> | undefined;
  const load = () => (current ??= buildEngine(keys));
  extension.subscriptions.push(
    keys,
    modelsChanged,
    keys.onDidChange(() => {
      current = undefined;
      modelsChanged.fire();
    }),
  );
  return {
    extension,
    keys,
    log,
    async engine() {
      const engine = await load();
      if (!engine) {
        throw new PerpetuoError({ kind: 'config', message: NO_KEYS_MESSAGE });
      }
      return engine;
    },
    async routableModels() {
      return (await load())?.listModels() ?? [];
    },
    countTokens: (text) => Math.ceil(text.length / 4),
    onDidChangeModels: modelsChanged.event,
  };
}
