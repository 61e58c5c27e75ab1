import type { CatalogSnapshot } from './catalog-snapshot-schema';
import type { CatalogWarning } from './catalog-warning';
import { type FetchOpenRouterCatalogOptions, fetchOpenRouterCatalog } from './fetch-openrouter-catalog';
import { mergeOpenRouterCatalog } from './merge-openrouter-catalog';

/**
 * The live source the `CatalogStore` uses by default: read OpenRouter and lay it over the base
 * (bundled) snapshot. Returned as a function so that the store can call it whenever its cache
 * goes stale.
 */
export function refreshFromOpenRouter(
  options: FetchOpenRouterCatalogOptions = {},
  now: () => Date = () => new Date(),
): (base: CatalogSnapshot, signal?: AbortSignal) => Promise<{ snapshot: CatalogSnapshot; warnings: CatalogWarning[] }> {
  return async (base, signal) => {
    const live = await fetchOpenRouterCatalog({ ...options, ...(signal ? { signal } : {}) });
    return { snapshot: mergeOpenRouterCatalog(base, live, now()), warnings: live.warnings };
  };
}
