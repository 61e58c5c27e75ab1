import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as OnDemand from './on-demand';

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
