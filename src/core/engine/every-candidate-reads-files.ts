import type { CatalogModel } from '../catalog/catalog-model';
import { type CatalogIndex, indexCatalog, type RoutingCatalog } from '../routing/index-catalog';
import { parseRequestedModel } from '../routing/parse-requested-model';

/**
 * Whether every endpoint that could serve the request takes a PDF as a file: each requested name
 * (the model, and each `models[]` fallback) is a catalog model, and each of its endpoints at the
 * providers the user has reads `file` input. Then no target is sent a PDF's text, and the engine
 * need not extract it before planning: PDF.js takes a quarter of a second to load, and tens of
 * milliseconds or more per file (BENCHMARKS.md, attachments).
 *
 * A route (`perpetuo/auto`, `perpetuo/cheapest`, …) may pick any model, and an unknown name is the
 * planner's to refuse: both answer false, and the text is extracted as before.
 */
export function everyCandidateReadsFiles(requested: readonly string[], catalog: RoutingCatalog, available: ReadonlySet<string>): boolean {
  const index = indexCatalog(catalog);
  return requested.every((name) => {
    const model = namedModel(name, index);
    return model !== undefined && model.endpoints.every((endpoint) => !available.has(endpoint.provider) || endpoint.inputModalities.includes('file'));
  });
}

function namedModel(name: string, index: CatalogIndex): CatalogModel | undefined {
  try {
    const parsed = parseRequestedModel(name, index);
    return parsed.kind === 'model' ? parsed.model : undefined;
  } catch {
    return undefined;
  }
}
