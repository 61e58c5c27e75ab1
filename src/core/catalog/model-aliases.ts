import type { CatalogModel } from './catalog-model';
import { normalizeModelId } from './normalize-model-id';

/** Lower-cased name → the canonical ids of the models that answer to it. */
export type ModelAliases = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Every name a model answers to, lower-cased: its id, its aliases (dated snapshots) and the ids
 * its providers serve it under (`claude-sonnet-4-5-20250929` at Anthropic, `gpt-4o-mini` at
 * OpenAI). One upstream id may name different models at different providers, hence the sets.
 */
export function indexModelAliases(models: readonly CatalogModel[]): ModelAliases {
  const aliases = new Map<string, Set<string>>();
  for (const model of models) {
    for (const name of [model.id, ...(model.aliases ?? []), ...model.endpoints.map((endpoint) => endpoint.upstreamModelId)]) {
      const key = name.toLowerCase();
      const ids = aliases.get(key) ?? new Set<string>();
      ids.add(model.id);
      aliases.set(key, ids);
    }
  }
  return aliases;
}

/**
 * The canonical id a name that is not one stands for: a name in `aliases` (when several models
 * answer to it, the one its normalised reading names, else the first in order), or a name that
 * normalises to a known id (`claude-opus-4-1-20250805` → `anthropic/claude-opus-4.1`). With
 * `provider`, the name is read as that provider's; without, as a bare or `author/model` id.
 */
export function resolveModelAlias(name: string, aliases: ModelAliases, hasId: (id: string) => boolean, provider?: string): string | undefined {
  const trimmed = name.trim();
  const normalized = normalizeModelId(trimmed, provider).id;
  const named = aliases.get(trimmed.toLowerCase());
  if (named !== undefined && named.size > 0) {
    return named.has(normalized) ? normalized : [...named].sort()[0];
  }
  if (hasId(normalized)) {
    return normalized;
  }
  if (provider === undefined) {
    return undefined;
  }
  const withoutProvider = normalizeModelId(trimmed).id;
  return hasId(withoutProvider) ? withoutProvider : undefined;
}
