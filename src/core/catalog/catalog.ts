import { PerpetuoError } from '../errors';
import type { CatalogEndpoint, CatalogModel } from './catalog-model';
import type { CatalogSnapshot } from './catalog-snapshot-schema';
import { indexModelAliases, resolveModelAlias, type ModelAliases } from './model-aliases';
import { rankCloseMatches } from './rank-close-matches';

/**
 * The read side of the catalog: look a model up by its canonical id, by any provider's id for
 * it, or by an alias; filter; list what a provider serves; suggest close names. Immutable: a
 * refresh or a provider listing produces a new `Catalog`.
 */
export class Catalog {
  readonly source: string;
  readonly snapshotDate: string;
  readonly generatedAt: string;
  readonly models: readonly CatalogModel[];
  private readonly byId = new Map<string, CatalogModel>();
  /** Lower-cased alias or upstream id → canonical ids that answer to it. */
  private readonly byAlias: ModelAliases;

  constructor(snapshot: CatalogSnapshot) {
    this.source = snapshot.source;
    this.snapshotDate = snapshot.snapshotDate;
    this.generatedAt = snapshot.generatedAt;
    this.models = snapshot.models;
    for (const model of snapshot.models) {
      this.byId.set(model.id, model);
    }
    this.byAlias = indexModelAliases(snapshot.models);
  }

  /** The snapshot this catalog was built from, for the cache file. */
  toSnapshot(): CatalogSnapshot {
    return { schemaVersion: 1, source: this.source, snapshotDate: this.snapshotDate, generatedAt: this.generatedAt, models: [...this.models] };
  }

  /** A model by canonical id, upstream id or alias. */
  getModel(name: string, provider?: string): CatalogModel | undefined {
    const id = this.resolveId(name, provider);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /**
   * The canonical id for what a user or a provider calls a model: the canonical id itself, an
   * upstream id (`claude-sonnet-4-5`, `accounts/fireworks/models/kimi-k2p6`), an alias (a dated
   * snapshot), or a name that normalises to one. With `provider`, that provider's ids win.
   */
  resolveId(name: string, provider?: string): string | undefined {
    const trimmed = name.trim();
    if (this.byId.has(trimmed)) {
      return trimmed;
    }
    if (provider !== undefined) {
      const served = this.models.find((m) => m.endpoints.some((e) => e.provider === provider && e.upstreamModelId === trimmed));
      if (served) {
        return served.id;
      }
    }
    return resolveModelAlias(trimmed, this.byAlias, (id) => this.byId.has(id), provider);
  }

  /** Like `getModel`, but an unknown name is a `config` error that suggests the closest ids. */
  requireModel(name: string, provider?: string): CatalogModel {
    const model = this.getModel(name, provider);
    if (model) {
      return model;
    }
    const suggestions = this.closeMatches(name, 3);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
    throw new PerpetuoError({
      kind: 'config',
      message: `Unknown model "${name}"${provider ? ` at provider "${provider}"` : ''} in the model catalog (${this.snapshotDate}).${hint}`,
      ...(provider ? { provider } : {}),
      modelId: name,
    });
  }

  findModels(predicate: (model: CatalogModel) => boolean): CatalogModel[] {
    return this.models.filter(predicate);
  }

  /** Every endpoint a provider serves, with its model. */
  listByProvider(provider: string): Array<{ model: CatalogModel; endpoint: CatalogEndpoint }> {
    return this.models.flatMap((model) => model.endpoints.filter((e) => e.provider === provider).map((endpoint) => ({ model, endpoint })));
  }

  getEndpoint(modelId: string, provider: string): CatalogEndpoint | undefined {
    return this.getModel(modelId, provider)?.endpoints.find((e) => e.provider === provider);
  }

  /** Canonical ids closest to `name`, best first: for "did you mean" hints. */
  closeMatches(name: string, limit = 5): string[] {
    const candidates = this.models.map((model) => ({
      key: model.id,
      texts: [model.id, model.id.slice(model.id.indexOf('/') + 1), model.name, ...(model.aliases ?? []), ...model.endpoints.map((e) => e.upstreamModelId)],
    }));
    return rankCloseMatches(name, candidates, limit);
  }
}
