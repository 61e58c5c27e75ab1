import * as vscode from 'vscode';
import type { RoutableModel, RoutingEngine } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import type { LedgerRecord } from '../core/ledger/ledger-record';
import { KeyStore } from './key-store';
import { createCountTokensForModel } from './count-tokens-for-model';
import { loadOnDemand } from './load-on-demand';
import type { PerpetuoServices } from './perpetuo-services';

/**
 * What the registrations share. Created once in activate() and cheap: no network, no disk
 * scans. The services (catalog, decision log, budgets) are created on first use; the routing
 * engine is composed over them and recomposed when keys or provider settings change.
 */
export interface PerpetuoContext {
  extension: vscode.ExtensionContext;
  keys: KeyStore;
  log: vscode.LogOutputChannel;
  services(): PerpetuoServices;
  /** The engine for the user's current keys; rejects with an actionable error when there are none. */
  engine(): Promise<RoutingEngine>;
  /** Routes and models the user can reach now (empty without keys). */
  routableModels(): Promise<RoutableModel[]>;
  /** Tokens of `text` for a model id or route: exact where the family has a public tokenizer, estimated otherwise. */
  countTokens(modelId: string, text: string): Promise<number>;
  onDidChangeModels: vscode.Event<void>;
  /** Fired after each ledger line is written. */
  onDidRecord: vscode.Event<LedgerRecord>;
  /** Waits (at most `timeoutMs`) for answered calls still writing their settlement and ledger line. */
  drain(timeoutMs: number): Promise<void>;
}

export const NO_KEYS_MESSAGE =
  'No provider keys yet. Run "Perpetuo: Manage Provider Keys" to add one (or configure a local server such as Ollama in Settings › Perpetuo).';

export type EngineBuilder = (ctx: PerpetuoContext, onRecord: (record: LedgerRecord) => void) => Promise<RoutingEngine | undefined>;

export function createPerpetuoContext(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel, buildEngine: EngineBuilder): PerpetuoContext {
  const keys = new KeyStore(extension.secrets);
  const modelsChanged = new vscode.EventEmitter<void>();
  const recorded = new vscode.EventEmitter<LedgerRecord>();
  let services: PerpetuoServices | undefined;
  let current: Promise<RoutingEngine | undefined> | undefined;
  const invalidate = () => {
    current = undefined;
    modelsChanged.fire();
  };
  extension.subscriptions.push(
    keys,
    modelsChanged,
    recorded,
    keys.onDidChange(invalidate),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('perpetuo.providers')) {
        invalidate();
      }
    }),
    { dispose: () => services?.dispose() },
  );
  const ctx: PerpetuoContext = {
    extension,
    keys,
    log,
    services() {
      if (!services) {
        // Required here, on first use: the catalog, ledger and budget code stay out of activation.
        services = loadOnDemand(extension.extensionPath).createPerpetuoServices(extension, log);
        services.onDidChangeCatalog(invalidate);
      }
      return services;
    },
    async engine() {
      const engine = await (current ??= buildEngine(ctx, (record) => recorded.fire(record)));
      if (!engine) {
        throw new PerpetuoError({ kind: 'config', message: NO_KEYS_MESSAGE });
      }
      return engine;
    },
    async routableModels() {
      try {
        return (await ctx.engine()).listModels();
      } catch {
        return [];
      }
    },
    countTokens: createCountTokensForModel({ extension, log }),
    onDidChangeModels: modelsChanged.event,
    onDidRecord: recorded.event,
    // Without services nothing was routed in this window, so nothing is being written.
    drain: async (timeoutMs) => {
      await services?.settling.drain(timeoutMs);
      // What the budget leases did not use stops counting for the other windows and the endpoint.
      await services?.budgets.releaseLeases().catch(() => undefined);
    },
  };
  return ctx;
}
