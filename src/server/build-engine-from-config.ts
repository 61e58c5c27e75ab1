import { promises as fsPromises } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Catalog } from '../core/catalog/catalog';
import { CatalogStore } from '../core/catalog/catalog-store';
import { formatCatalogWarning } from '../core/catalog/catalog-warning';
import { loadBundledCatalog } from '../core/catalog/load-bundled-catalog';
import { mergeProviderListing } from '../core/catalog/merge-provider-listing';
import { refreshFromOpenRouter } from '../core/catalog/refresh-from-openrouter';
import { DEFAULT_ATTACHMENT_SETTINGS } from '../core/engine/attachment-settings';
import { createRoutingEngine } from '../core/engine/create-routing-engine';
import { createSettlingTracker } from '../core/engine/create-settling-tracker';
import type { RoutingEngine } from '../core/engine/routed-call';
import { loadPolicyFile, type PolicyFileResult } from '../core/guardrails/load-policy-file';
import { openBudgetStore } from '../core/guardrails/open-budget-store';
import { workspaceIdOf } from '../core/guardrails/workspace-id-of';
import { openLedger } from '../core/ledger/open-ledger';
import { CircuitBreaker } from '../core/routing/circuit-breaker';
import { LiveMetrics } from '../core/routing/live-metrics';
import { MetricsFileStore } from '../core/routing/metrics-file-store';
import { parseRoutingPolicy } from '../core/routing/routing-policy';
import { createPdfTextLoader } from './create-pdf-text-loader';
import type { EndpointLogger } from './create-redacting-logger';
import type { ServeConfig } from './load-serve-config';

/** A running engine and what must be flushed when the server stops. */
export interface HeadlessEngine {
  engine: RoutingEngine;
  /** Waits (up to 5 s) for calls still writing their budget settlement and ledger line, saves routing metrics, stops timers. */
  dispose(): Promise<void>;
}

const silent: EndpointLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The one place where `perpetuo serve` turns its config into core's `RoutingEngine`, composed
 * like the extension's (src/vscode/build-routing-engine.ts): PDF text extraction loaded on first use
 * with the config's `attachments` settings, the bundled catalog (refreshed from
 * OpenRouter when `liveCatalog`), the configured providers and the models they list, the
 * strategy, the guardrails policy file, and the ledger, budget journal, metrics and catalog cache
 * in and beside `ledgerDir`. An invalid policy file stops start-up: the engine would refuse every
 * request anyway (guardrails fail closed), and saying so once, naming the file, is clearer.
 */
export async function buildEngineFromConfig(config: ServeConfig, log: EndpointLogger = silent): Promise<HeadlessEngine> {
  const stateDir = dirname(config.ledgerDir);
  const now = Date.now;
  const policy = parseRoutingPolicy({ strategy: config.strategy });
  let policyFile: PolicyFileResult | undefined;
  if (config.guardrailsFile !== undefined) {
    policyFile = await loadPolicyFile(config.guardrailsFile, config.guardrailsFile);
    if (policyFile.status === 'invalid') throw policyFile.error;
    if (policyFile.status === 'absent') throw new Error(`${config.guardrailsFile}: guardrails: the file does not exist.`);
  }

  const withListings = (base: Catalog): Catalog =>
    Object.entries(config.listedModels).reduce(
      (catalog, [provider, listed]) =>
        mergeProviderListing(catalog, { provider, models: listed.models.map((id) => ({ id, ...(listed.free ? { pricing: { input: '0', output: '0' } } : {}) })) }).catalog,
      base,
    );
  let catalog = withListings(new Catalog(loadBundledCatalog().snapshot));
  if (config.liveCatalog) {
    const store = new CatalogStore({
      directory: stateDir,
      refresh: refreshFromOpenRouter(),
      onWarning: (warning) => log.warn(`catalog: ${formatCatalogWarning(warning)}`),
      onUpdate: (updated) => (catalog = withListings(updated)),
    });
    void store
      .load()
      .then((loaded) => {
        catalog = withListings(loaded.catalog);
        log.info(`catalog: ${loaded.catalog.models.length} models from ${loaded.origin}`);
      })
      .catch((error: unknown) => log.warn(`catalog: ${String(error)}`));
  }

  const metricsStore = new MetricsFileStore({ path: join(stateDir, 'metrics.json'), fs: fsPromises });
  const saved = await metricsStore.load().catch(() => undefined);
  const metrics = saved === undefined ? new LiveMetrics({ clock: now }) : LiveMetrics.fromJSON(saved, { clock: now });
  const saveTimer = setInterval(() => void metricsStore.save(metrics.toJSON()).catch(() => undefined), 60_000);
  saveTimer.unref();

  const budgets = openBudgetStore({ directory: join(stateDir, 'budgets'), now, pid: process.pid, onWarning: (message) => log.warn(`budgets: ${message}`) });
  const engine = createRoutingEngine({
    catalog: () => catalog,
    providers: config.providers,
    // The config cannot change while serving: parsed once, and the same object lets the planner's per-policy caches hit.
    policy: () => policy,
    guardrails: () => ({ ...(policyFile === undefined ? {} : { policyFile }) }),
    // The policy file's `workspace` section holds every request: the workspace is the folder the
    // file belongs to (the one holding `.perpetuo/`), named as the extension names it.
    workspaceId: config.guardrailsFile === undefined ? undefined : workspaceIdOf(pathToFileURL(policyFolder(config.guardrailsFile)).href),
    budgets,
    ledger: openLedger({ directory: config.ledgerDir, now, pid: process.pid, onWarning: (message) => log.warn(`decision log: ${message}`), logPrompts: () => false }),
    metrics,
    circuit: new CircuitBreaker({ clock: now }),
    firstContentTimeoutMs: 45_000,
    attachments: () => config.attachments ?? DEFAULT_ATTACHMENT_SETTINGS,
    loadPdfText: createPdfTextLoader(),
    onWarning: (message) => log.warn(message),
  });
  // An answer goes out before its ledger line and settlement are written: stopping waits for them.
  const settling = createSettlingTracker();
  return {
    engine: settling.track(engine),
    dispose: async () => {
      await settling.drain(5_000);
      // What the leases did not use stops counting for the other processes sharing the budgets.
      await budgets.releaseLeases().catch(() => undefined);
      clearInterval(saveTimer);
      await metricsStore.save(metrics.toJSON()).catch(() => undefined);
    },
  };
}

/** The folder a policy file governs: the one holding `.perpetuo/policy.json`, else the file's own. */
function policyFolder(policyPath: string): string {
  const folder = dirname(policyPath);
  return basename(folder) === '.perpetuo' ? dirname(folder) : folder;
}
