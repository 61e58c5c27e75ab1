import * as vscode from 'vscode';
import { buildEngineOnDemand } from './vscode/load-on-demand';
import { createPerpetuoContext } from './vscode/perpetuo-context';
import { registerChatParticipant } from './vscode/register-chat-participant';
import { registerCodeActions } from './vscode/register-code-actions';
import { registerDashboard } from './vscode/register-dashboard';
import { registerEndpoint } from './vscode/register-endpoint';
import { registerExplorerCommands } from './vscode/register-explorer-commands';
import { registerKeyCommands } from './vscode/register-key-commands';
import { registerLanguageModelProvider } from './vscode/register-language-model-provider';
import { registerStatusBar } from './vscode/register-status-bar';

/** What other code (and our integration tests) can see of a running Perpetuo. */
export interface PerpetuoApi {
  participantId: string;
  vendor: string;
  /** Milliseconds activate() took, for the activation benchmark. */
  activationMs: number;
}

/** Set by activate(): deactivation waits for answered calls still writing their ledger line. */
let drainOnDeactivate: ((timeoutMs: number) => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): PerpetuoApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Perpetuo', { log: true });
  context.subscriptions.push(log);
  // The engine (router, adapters, guardrails, ledger) loads on the first request, not here.
  const ctx = createPerpetuoContext(context, log, buildEngineOnDemand);
  drainOnDeactivate = ctx.drain;
  registerKeyCommands(ctx);
  registerLanguageModelProvider(ctx);
  const participant = registerChatParticipant(ctx);
  registerCodeActions(ctx);
  registerDashboard(ctx);
  registerStatusBar(ctx);
  registerEndpoint(ctx);
  registerExplorerCommands(ctx);
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return { participantId: participant.id, vendor: 'perpetuo', activationMs };
}

/** VS Code waits for the returned promise (briefly) before it disposes the subscriptions. */
export function deactivate(): Promise<void> | undefined {
  return drainOnDeactivate?.(4_000);
}
