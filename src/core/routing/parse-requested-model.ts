import { PerpetuoError } from '../errors/perpetuo-error';
import type { CatalogModel } from '../catalog/catalog-model';
import { resolveModelAlias } from '../catalog/model-aliases';
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
 * `perpetuo/<strategy>` against the catalog. A model may also be named as a provider names it
 * (`claude-sonnet-4-5-20250929`, `gpt-4o-mini`: what Claude Code and OpenAI clients send by
 * default). Anything unknown is a `not-found` error that names it, where it came from, and the
 * closest known names.
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
  const variantName = colon > 0 ? lower.slice(colon + 1) : undefined;
  const variant = MODEL_VARIANTS.find((known) => known === variantName);
  // A known variant binds before an alias is tried on the whole name: `claude-sonnet-4-5:free`
  // normalises to the model without its variant.
  const base = colon > 0 ? (index.modelById.get(lower.slice(0, colon)) ?? (variant === undefined ? undefined : aliasedModel(trimmed.slice(0, colon), index))) : undefined;
  if (base !== undefined && variant !== undefined) {
    return { kind: 'model', model: base, variant };
  }
  // An upstream id may itself hold a colon (an Ollama tag, a Bedrock version).
  const aliased = aliasedModel(trimmed, index);
  if (aliased !== undefined) {
    return { kind: 'model', model: aliased, variant: undefined };
  }
  if (base !== undefined) {
    const hint = variantName === 'online' ? " ':online' is deprecated upstream; use a web-search tool instead." : '';
    throw unknown(`variant ':${variantName}' of ${base.id} in ${field}`, variantName ?? '', MODEL_VARIANTS, `Variants: ${MODEL_VARIANTS.map((known) => `:${known}`).join(', ')}.${hint}`);
  }
  const modelPart = colon > 0 ? trimmed.slice(0, colon) : trimmed;
  throw unknown(`model '${trimmed}' in ${field}`, modelPart, [...index.models.map((model) => model.id), ...ROUTES], 'It is not in the model catalog.');
}

/** The model a provider's own name for it stands for, if the catalog knows the name. */
function aliasedModel(name: string, index: CatalogIndex): CatalogModel | undefined {
  const id = resolveModelAlias(name, index.aliases, (candidate) => index.modelById.has(candidate.toLowerCase()));
  return id === undefined ? undefined : index.modelById.get(id.toLowerCase());
}

/**
 * `not-found`, not `config`: the name comes from a request (an endpoint answers 404, as OpenAI and
 * Anthropic do for a model they do not have), and asking again with it cannot succeed.
 */
function unknown(what: string, name: string, candidates: Iterable<string>, tail: string): PerpetuoError {
  const close = findCloseMatches(name, candidates);
  const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
  return new PerpetuoError({ kind: 'not-found', message: `Unknown ${what}.${hint} ${tail}` });
}
