import type { CatalogModel } from '../catalog/catalog-model';
import type { RoutableModel } from './routed-call';

/** The routes Perpetuo always offers; each picks a model per request. */
export const ROUTES: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'perpetuo/auto', name: 'Perpetuo Auto' },
  { id: 'perpetuo/cheapest', name: 'Perpetuo Cheapest' },
  { id: 'perpetuo/fastest', name: 'Perpetuo Fastest' },
  { id: 'perpetuo/reliable', name: 'Perpetuo Reliable' },
];

/**
 * What the user can ask for now: the routes, then every catalog model with at least one endpoint
 * on a provider they have configured, with the limits and capabilities of its best endpoint.
 */
export function listRoutableModels(models: readonly CatalogModel[], available: ReadonlySet<string>): RoutableModel[] {
  const reachable: RoutableModel[] = [];
  for (const model of models) {
    const endpoints = model.endpoints.filter((e) => available.has(e.provider));
    if (endpoints.length === 0) {
      continue;
    }
    reachable.push({
      id: model.id,
      name: model.name,
      kind: 'model',
      providers: [...new Set(endpoints.map((e) => e.provider))],
      contextLength: maxOf(endpoints.map((e) => e.contextLength)),
      maxOutputTokens: maxOf(endpoints.map((e) => e.maxOutputTokens)),
      imageInput: endpoints.some((e) => e.inputModalities.includes('image')),
      toolCalling: endpoints.some((e) => e.supportedParameters.includes('tools')),
    });
  }
  if (reachable.length === 0) {
    return [];
  }
  const routes: RoutableModel[] = ROUTES.map((route) => ({
    id: route.id,
    name: route.name,
    kind: 'route',
    providers: [...new Set(reachable.flatMap((m) => m.providers))],
    contextLength: maxOf(reachable.map((m) => m.contextLength)),
    maxOutputTokens: maxOf(reachable.map((m) => m.maxOutputTokens)),
    imageInput: reachable.some((m) => m.imageInput),
    toolCalling: reachable.some((m) => m.toolCalling),
  }));
  return [...routes, ...reachable.sort((a, b) => a.name.localeCompare(b.name))];
}

function maxOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.max(...known) : undefined;
}
