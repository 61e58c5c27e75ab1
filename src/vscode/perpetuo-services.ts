import { createSettlingTracker, type SettlingTracker } from '../core/engine/create-settling-tracker';
import { mkdirSync, promises as fsPromises } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Catalog } from '../core/catalog/catalog';
import { CatalogStore } from '../core/catalog/catalog-store';
import { formatCatalogWarning } from '../core/catalog/catalog-warning';
import { loadBundledCatalog } from '../core/catalog/load-bundled-catalog';
import { refreshFromOpenRouter } from '../core/catalog/refresh-from-openrouter';
import { loadPolicyFile, POLICY_FILE_RELATIVE_PATH, type PolicyFileResult } from '../core/guardrails/load-policy-file';
import { openBudgetStore, type BudgetStore } from '../core/guardrails/open-budget-store';
import { workspaceIdOf } from '../core/guardrails/workspace-id-of';
import { openLedger, type Ledger } from '../core/ledger/open-ledger';
import { CircuitBreaker } from '../core/routing/circuit-breaker';
import { LiveMetrics } from '../core/routing/live-metrics';
import { MetricsFileStore } from '../core/routing/metrics-file-store';

/**
 * The long-lived parts of Perpetuo in one window, created on first use (never at activation):
 * the catalog, the decision log, the budget store (shared with every other window through the
 * same files), live metrics and circuit breakers, and the workspace's policy file.
 */
export interface PerpetuoServices {
  catalog(): Catalog;
  ledger: Ledger;
  budgets: BudgetStore;
  metrics: LiveMetrics;
  circuit: CircuitBreaker;
  /** `.perpetuo/policy.json` as last read (kept current by a file watcher). */
  policyFile(): PolicyFileResult | undefined;
  /** A stable id of the open workspace, for workspace budgets; undefined in an empty window. */
  workspaceId: string | undefined;
  onDidChangeCatalog: vscode.Event<void>;
  /** Calls answered but still writing their settlement and ledger line, across engine rebuilds. */
  settling: SettlingTracker;
  dispose(): void;
}

export function createPerpetuoServices(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): PerpetuoServices {
  const storage = extension.globalStorageUri.fsPath;
  mkdirSync(storage, { recursive: true });
  const disposables: vscode.Disposable[] = [];
  const catalogChanged = new vscode.EventEmitter<void>();
  disposables.push(catalogChanged);

  let catalog = new Catalog(loadBundledCatalog().snapshot);
  const store = new CatalogStore({
    directory: storage,
    refresh: refreshFromOpenRouter(),
    onWarning: (warning) => log.warn(`catalog: ${formatCatalogWarning(warning)}`),
    onUpdate: (updated) => {
      catalog = updated;
      catalogChanged.fire();
    },
  });
  if (vscode.workspace.getConfiguration('perpetuo').get<boolean>('catalog.liveRefresh', true)) {
    void store.load().then((loaded) => {
      catalog = loaded.catalog;
      log.info(`catalog: ${loaded.catalog.models.length} models from ${loaded.origin}`);
      catalogChanged.fire();
    });
  }

  const now = Date.now;
  const ledger = openLedger({
    directory: join(storage, 'ledger'),
    now,
    pid: process.pid,
    onWarning: (message) => log.warn(`decision log: ${message}`),
    logPrompts: () => vscode.workspace.getConfiguration('perpetuo').get<boolean>('logging.prompts', false),
  });
  void ledger.applyRetention(vscode.workspace.getConfiguration('perpetuo').get<number>('ledger.retentionDays', 365)).catch((error: unknown) => log.warn(`decision log retention: ${String(error)}`));
  const budgets = openBudgetStore({ directory: join(storage, 'budgets'), now, pid: process.pid, onWarning: (message) => log.warn(`budgets: ${message}`) });

  // Metrics start empty and are restored in the background: activation never waits on disk.
  let metrics = new LiveMetrics({ clock: now });
  const metricsStore = new MetricsFileStore({ path: join(storage, 'metrics.json'), fs: fsPromises });
  void metricsStore
    .load()
    .then((saved) => {
      if (saved !== undefined) {
        metrics = LiveMetrics.fromJSON(saved, { clock: now });
      }
    })
    .catch((error: unknown) => log.warn(`routing metrics: ${String(error)}`));
  const circuit = new CircuitBreaker({ clock: now });
  const saveMetrics = () => void metricsStore.save(metrics.toJSON()).catch((error: unknown) => log.warn(`routing metrics not saved: ${String(error)}`));
  const saveTimer = setInterval(saveMetrics, 60_000);
  disposables.push({ dispose: () => clearInterval(saveTimer) }, { dispose: saveMetrics });

  const folder = vscode.workspace.workspaceFolders?.[0];
  const workspaceId = folder ? workspaceIdOf(folder.uri.toString()) : undefined;
  let policy: PolicyFileResult | undefined;
  if (folder) {
    const policyUri = vscode.Uri.joinPath(folder.uri, POLICY_FILE_RELATIVE_PATH);
    const reload = () =>
      void loadPolicyFile(policyUri.fsPath).then((result) => {
        policy = result;
        if (result.status === 'invalid') {
          log.error(result.error.message);
        }
      });
    reload();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, POLICY_FILE_RELATIVE_PATH));
    watcher.onDidChange(reload);
    watcher.onDidCreate(reload);
    watcher.onDidDelete(reload);
    // A folder created or deleted together with its files (a checkout, a copy) is reported as the
    // folder alone, never as policy.json: watch `.perpetuo` itself too.
    const folderWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, dirname(POLICY_FILE_RELATIVE_PATH)), false, true, false);
    folderWatcher.onDidCreate(reload);
    folderWatcher.onDidDelete(reload);
    disposables.push(watcher, folderWatcher);
  }

  return {
    catalog: () => catalog,
    ledger,
    budgets,
    get metrics() {
      return metrics;
    },
    circuit,
    policyFile: () => policy,
    workspaceId,
    onDidChangeCatalog: catalogChanged.event,
    settling: createSettlingTracker(),
    dispose: () => disposables.forEach((d) => d.dispose()),
  };
}
