import type { CatalogModel } from './catalog-model';
import type { CatalogSnapshot } from './catalog-snapshot-schema';
import type { OpenRouterCatalog } from './fetch-openrouter-catalog';

/**
 * Lays a live OpenRouter read over a base snapshot (always the bundled one, so sources never
 * pile up): every OpenRouter endpoint of the base is replaced by the live ones, models new on
 * OpenRouter are added, and models only OpenRouter served that it no longer lists are dropped.
 * Direct-provider endpoints are kept as they are.
 */
export function mergeOpenRouterCatalog(base: CatalogSnapshot, live: OpenRouterCatalog, now: Date): CatalogSnapshot {
  const models = new Map<string, CatalogModel>();
  for (const model of base.models) {
    const direct = model.endpoints.filter((e) => e.provider !== 'openrouter');
    if (direct.length > 0) {
      models.set(model.id, { ...model, endpoints: direct });
    }
  }
  for (const liveModel of live.models) {
    const existing = models.get(liveModel.id);
    if (existing) {
      const aliases = [...new Set([...(existing.aliases ?? []), ...(liveModel.aliases ?? [])])];
      models.set(liveModel.id, {
        ...existing,
        ...(aliases.length > 0 ? { aliases } : {}),
        endpoints: [...existing.endpoints, ...liveModel.endpoints],
      });
    } else {
      models.set(liveModel.id, liveModel);
    }
  }
  const day = now.toISOString().slice(0, 10);
  return {
    schemaVersion: 1,
    source: `${base.source}; OpenRouter endpoints live from ${live.baseUrl} on ${day}`,
    snapshotDate: day,
    generatedAt: now.toISOString(),
    models: [...models.values()].sort((a, b) => a.id.localeCompare(b.id)),
  };
}
