import { PerpetuoError } from '../errors/perpetuo-error';
import type { CatalogModel } from '../catalog/catalog-model';
import type { ModelVariant } from './check-endpoint';
import { findCloseMatches } from './find-close-matches';
import type { CatalogIndex } from './index-catalog';
import { ROUTING_STRATEGIES, type RoutingStrategy } from './routing-policy';

/** What a model string asks for. */
export type RequestedModel =
  | { kind: 'model'; model: CatalogModel; variant: ModelVariant | undefined }
  | { kind: 'route'; strategy: RoutingStrategy | 'default' }
  | { kind: 'auto' };

/** The variants the router implements; see `check-endpoint.ts` for what each admits. */
export const MODEL_VARIANTS: readonly ModelVariant[] = ['free', 'floor', 'nitro', 'thinking'];

const ROUTE_PREFIX = 'perpetuo/';
const ROUTES = ['perpetuo/auto', 'perpetuo/default', ...ROUTING_STRATEGIES.map((strategy) => `${ROUTE_PREFIX}${strategy}`)];

/**
 * Resolves `author/model[:variant]`, `perpetuo/auto`, `perpetuo/default` or
 * `perpetuo/<strategy>` against the catalog. Anything unknown is a `config` error that names
 * it, where it came from, and the closest known names.
 */
export function parseRequestedModel(requested: string, index: CatalogIndex, field = 'model'): RequestedModel {
  const trimmed = requested.trim();
  const lower = trimmed.toLowerCase();
  if (lower.startsWith(ROUTE_PREFIX) && !index.modelById.has(lower)) {
    const name = lower.slice(ROUTE_PREFIX.length);
    if (name === 'auto') {
      return { kind: 'auto' };
    }
    if (name === 'default') {
      return { kind: 'route', strategy: 'default' };
    }
    const strategy = ROUTING_STRATEGIES.find((known) => known === name);
    if (strategy !== undefined) {
      return { kind: 'route', strategy };
    }
    throw unknown(`route '${trimmed}' in ${field}`, trimmed, ROUTES, `Routes: ${ROUTES.join(', ')}.`);
  }
  const exact = index.modelById.get(lower);
  if (exact !== undefined) {
    return { kind: 'model', model: exact, variant: undefined };
  }
  const colon = lower.lastIndexOf(':');
  if (colon > 0) {
    const base = index.modelById.get(lower.slice(0, colon));
    const variantName = lower.slice(colon + 1);
    if (base !== undefined) {
      const variant = MODEL_VARIANTS.find((known) => known === variantName);
      if (variant === undefined) {
        const hint = variantName === 'online' ? " ':online' is deprecated upstream; use a web-search tool instead." : '';
        throw unknown(`variant ':${variantName}' of ${base.id} in ${field}`, variantName, MODEL_VARIANTS, `Variants: ${MODEL_VARIANTS.map((known) => `:${known}`).join(', ')}.${hint}`);
      }
      return { kind: 'model', model: base, variant };
    }
  }
  const modelPart = colon > 0 ? trimmed.slice(0, colon) : trimmed;
  throw unknown(`model '${trimmed}' in ${field}`, modelPart, [...index.models.map((model) => model.id), ...ROUTES], 'It is not in the model catalog.');
}

function unknown(what: string, name: string, candidates: Iterable<string>, tail: string): PerpetuoError {
  const close = findCloseMatches(name, candidates);
  const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
  return new PerpetuoError({ kind: 'config', message: `Unknown ${what}.${hint} ${tail}` });
}
