import { PerpetuoError } from '../errors';
import { type CatalogSnapshot, catalogSnapshotSchema } from './catalog-snapshot-schema';
import type { CatalogWarning } from './catalog-warning';
import { describeSchemaIssues } from './describe-schema-issues';
import { sanitizeEndpointPricing } from './sanitize-endpoint-pricing';

/**
 * Validates a snapshot (bundled file, cache file, merged live data) and checks every price's
 * magnitude. A shape error throws a `config` error naming the source and the field; a price of
 * the wrong magnitude is dropped to unknown with a warning, so one bad row cannot sink the
 * whole catalog.
 */
export function parseCatalogSnapshot(value: unknown, source: string): { snapshot: CatalogSnapshot; warnings: CatalogWarning[] } {
  const result = catalogSnapshotSchema.safeParse(value);
  if (!result.success) {
    throw new PerpetuoError({
      kind: 'config',
      message: `The model catalog from ${source} is invalid: ${describeSchemaIssues(result.error, value)}.`,
    });
  }
  const warnings: CatalogWarning[] = [];
  const snapshot: CatalogSnapshot = {
    ...result.data,
    models: result.data.models.map((model) => ({
      ...model,
      endpoints: model.endpoints.map((endpoint) => {
        const checked = sanitizeEndpointPricing(endpoint.pricing, { source, modelId: model.id, provider: endpoint.provider });
        warnings.push(...checked.warnings);
        return { ...endpoint, pricing: checked.pricing };
      }),
    })),
  };
  const duplicate = findDuplicateId(snapshot);
  if (duplicate) {
    throw new PerpetuoError({ kind: 'config', message: `The model catalog from ${source} lists the model id "${duplicate}" twice.` });
  }
  return { snapshot, warnings };
}

function findDuplicateId(snapshot: CatalogSnapshot): string | undefined {
  const seen = new Set<string>();
  for (const model of snapshot.models) {
    if (seen.has(model.id)) {
      return model.id;
    }
    seen.add(model.id);
  }
  return undefined;
}
