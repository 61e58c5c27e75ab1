import type { CatalogEndpoint } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors';

/** An endpoint the planner dropped because it is not zero-data-retention. */
export interface ZdrExcludedEndpoint {
  modelId: string;
  endpoint: Pick<CatalogEndpoint, 'provider' | 'dataPolicy'>;
}

/**
 * Whether an endpoint may serve a request under require-ZDR. Unknown is not ZDR: the guarantee
 * is only as good as the provider's published policy (the catalog's data-policy table, or
 * OpenRouter's `/endpoints/zdr` list for its endpoints).
 */
export function isZdrEndpoint(endpoint: Pick<CatalogEndpoint, 'dataPolicy'>): boolean {
  return endpoint.dataPolicy.zdr === true;
}

/**
 * The 'policy' error when require-ZDR left no endpoint: names every excluded endpoint, why (not
 * ZDR by its source, or unknown) and what the user can change.
 */
export function describeZdrExclusion(requested: string, excluded: readonly ZdrExcludedEndpoint[]): PerpetuoError {
  const reasons = excluded.map(({ modelId, endpoint }) => {
    const why = endpoint.dataPolicy.zdr === false ? `not zero-data-retention${endpoint.dataPolicy.source ? ` per ${endpoint.dataPolicy.source}` : ''}` : 'retention policy unknown';
    return `${modelId} on ${endpoint.provider} (${why})`;
  });
  const message =
    `Require ZDR excluded every endpoint that could serve ${requested}: ${reasons.join('; ')}. ` +
    'Pick a model with a zero-data-retention endpoint, or turn off requireZdr in Settings › Perpetuo › Guardrails (or in .perpetuo/policy.json if your team set it there). ' +
    'ZDR covers inference only, not plugins or web search.';
  return new PerpetuoError({ kind: 'policy', message, isRetryable: false });
}
