import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RoutingEngine } from '../core/engine/routed-call';
import type { LedgerRecord } from '../core/ledger/ledger-record';
import { resolveOpenAICompatiblePreset } from '../core/providers/openai-compatible/openai-compatible-presets';
import type { ProviderConfig } from '../core/providers/provider-config';
import type * as OnDemand from './on-demand';
import type { PerpetuoContext } from './perpetuo-context';
import { readProviderConfigs } from './read-provider-configs';

export type OnDemandModule = typeof OnDemand;

/**
 * The on-demand bundle (`dist/on-demand.js`), required on the first call that needs the engine,
 * the services, the dashboard, the endpoint server, a key test or the OpenRouter sign-in. Node
 * caches the module: later calls return the same one.
 */
export function loadOnDemand(extensionPath: string): OnDemandModule {
  // A require rooted at a runtime path: the bundler leaves it alone instead of inlining the engine.
  return createRequire(join(extensionPath, 'dist', 'extension.js'))('./on-demand.js') as OnDemandModule;
}

/**
 * The routing engine for the user's providers, built by the on-demand bundle. Without any
 * provider (no key, no local server configured) there is nothing to route over: undefined, and
 * the bundle is not loaded at all, although VS Code asks for the models right after activation.
 */
export async function buildEngineOnDemand(ctx: PerpetuoContext, onRecord: (record: LedgerRecord) => void): Promise<RoutingEngine | undefined> {
  const { configs: configured, models, problems } = await readProviderConfigs(ctx.keys);
  problems.forEach((problem) => ctx.log.error(problem));
  // A base URL override in perpetuo.providers is not a key: until the key is added, the router
  // must not plan over that provider (it would pick it, then fail with "No API key is set").
  const configs = configured.filter(canAuthenticate);
  return configs.length === 0 ? undefined : loadOnDemand(ctx.extension.extensionPath).buildRoutingEngine(ctx, { configs, models, problems }, onRecord);
}

/** Whether a request to this provider can carry what it needs: a key, unless the server takes none. */
function canAuthenticate(config: ProviderConfig): boolean {
  if (config.apiKey !== undefined) {
    return true;
  }
  const auth = config.kind === 'openai-compatible' ? resolveOpenAICompatiblePreset(config.preset)?.auth : 'bearer';
  return auth === 'none' || auth === 'optional-bearer';
}
