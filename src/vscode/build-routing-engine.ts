import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog/catalog';
import { mergeProviderListing } from '../core/catalog/merge-provider-listing';
import { createRoutingEngine } from '../core/engine/create-routing-engine';
import type { RoutingEngine } from '../core/engine/routed-call';
import { mapSettingsToGuardrails, type SettingsGuardrails } from '../core/guardrails/map-settings-to-guardrails';
import type { GuardrailSources } from '../core/guardrails/resolve-effective-guardrail';
import type { LedgerRecord } from '../core/ledger/ledger-record';
import type { ProviderConfig } from '../core/providers/provider-config';
import { parseRoutingPolicy, type RoutingPolicy } from '../core/routing/routing-policy';
import { createPdfTextLoader, readAttachmentSettings } from './load-pdf-text';
import type { PerpetuoContext } from './perpetuo-context';
import type { ConfiguredProviders } from './read-provider-configs';

/** Servers on the user's own machine: what they serve costs nothing per token. */
const LOCAL_PRESETS = new Set(['ollama', 'lmstudio']);

/**
 * Composes the routing engine for the user's providers (at least one: keys, settings) over the
 * window's services. The caller reads the providers first (src/extension.ts), so that a window
 * without any does not load this bundle at all.
 */
export function buildRoutingEngine(ctx: PerpetuoContext, { configs, models }: ConfiguredProviders, onRecord: (record: LedgerRecord) => void): RoutingEngine {
  const services = ctx.services();
  const listed = (base: Catalog) => configs.reduce((catalog, config) => withListedModels(catalog, config, models.get(config.id)), base);
  let merged = { base: services.catalog(), catalog: listed(services.catalog()) };
  const catalog = () => {
    // The services replace their catalog after a live refresh; re-merge the user's endpoints once.
    if (merged.base !== services.catalog()) {
      merged = { base: services.catalog(), catalog: listed(services.catalog()) };
    }
    return merged.catalog;
  };
  ctx.log.info(`routing over ${configs.map((c) => c.id).join(', ')}`);
  const engine = createRoutingEngine({
    catalog,
    providers: configs,
    policy: readRoutingPolicy,
    guardrails: () => readGuardrails(services.policyFile()),
    workspaceId: services.workspaceId,
    budgets: services.budgets,
    ledger: services.ledger,
    metrics: services.metrics,
    circuit: services.circuit,
    logPrompts: () => vscode.workspace.getConfiguration('perpetuo').get<boolean>('logging.prompts', false),
    firstContentTimeoutMs: 45_000,
    onRecord,
    onWarning: (message) => ctx.log.warn(message),
    attachments: () => readAttachmentSettings(vscode.workspace.getConfiguration('perpetuo')),
    loadPdfText: createPdfTextLoader(ctx.extension.extensionPath),
  });
  return services.settling.track(engine);
}

/** Endpoints the user listed by hand (`perpetuo.providers[].models`) join the catalog; local servers are free. */
function withListedModels(catalog: Catalog, config: ProviderConfig, listed: string[] | undefined): Catalog {
  if (!listed?.length) {
    return catalog;
  }
  const free = config.preset !== undefined && LOCAL_PRESETS.has(config.preset);
  return mergeProviderListing(catalog, {
    provider: config.id,
    models: listed.map((id) => ({ id, ...(free ? { pricing: { input: '0', output: '0' } } : {}) })),
  }).catalog;
}

function readRoutingPolicy(): RoutingPolicy {
  const settings = vscode.workspace.getConfiguration('perpetuo.routing');
  const list = (name: string) => {
    const value = settings.get<string[]>(name, []);
    return value.length ? value : undefined;
  };
  return parseRoutingPolicy(
    Object.fromEntries(
      Object.entries({ strategy: settings.get<string>('strategy', 'balanced'), priority: list('priority'), autoCandidates: list('autoCandidates') }).filter(([, v]) => v !== undefined),
    ),
  );
}

/** User and workspace `perpetuo.guardrails.*` and the team's policy file, as the guardrails read them. */
export function readGuardrails(policyFile: GuardrailSources['policyFile']): GuardrailSources {
  const inspect = (level: 'globalValue' | 'workspaceValue'): Record<string, unknown> => {
    const section = vscode.workspace.getConfiguration('perpetuo.guardrails');
    const names = ['dailyBudgetUsd', 'weeklyBudgetUsd', 'monthlyBudgetUsd', 'rollingBudget', 'warnAtPercent', 'nearLimit', 'allowModels', 'denyModels', 'allowProviders', 'requireZdr', 'maxCostPerRequestUsd', 'allowUnpriced', 'apps'];
    return Object.fromEntries(names.map((name) => [name, section.inspect(name)?.[level]]).filter(([, value]) => value !== undefined));
  };
  const userSettings: SettingsGuardrails = mapSettingsToGuardrails(withDefaults(inspect('globalValue')), 'User');
  const workspace = inspect('workspaceValue');
  return {
    userSettings,
    workspaceSettings: Object.keys(workspace).length ? mapSettingsToGuardrails(workspace, 'Workspace') : undefined,
    policyFile,
  };
}

/** The warn threshold and near-limit action apply to the user's budgets even when left at their defaults. */
function withDefaults(user: Record<string, unknown>): Record<string, unknown> {
  const section = vscode.workspace.getConfiguration('perpetuo.guardrails');
  return { warnAtPercent: section.get('warnAtPercent'), nearLimit: section.get('nearLimit'), ...user };
}
