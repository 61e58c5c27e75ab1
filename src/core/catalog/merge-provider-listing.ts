import type { InputModality } from '../spec/chat-request';
import { assignModelTier } from './assign-model-tier';
import { Catalog } from './catalog';
import type { CatalogEndpoint, CatalogModel, EndpointPricing } from './catalog-model';
import type { CatalogWarning } from './catalog-warning';
import { lookupDataPolicy } from './data-policy-table';
import { normalizeModelId } from './normalize-model-id';
import { sanitizeEndpointPricing } from './sanitize-endpoint-pricing';

/**
 * What a provider's own `/models` listing (fetched with the user's key by the provider adapter)
 * says it serves. Only `id` is required: most listings carry no price, and an unknown price stays
 * unknown in the catalog.
 */
export interface ProviderModelListing {
  /** Our provider id, or a custom instance id (`my-vllm`). */
  provider: string;
  models: Array<{
    /** The id that provider's API takes. */
    id: string;
    name?: string;
    contextLength?: number;
    maxOutputTokens?: number;
    inputModalities?: InputModality[];
    outputModalities?: Array<'text' | 'image' | 'audio'>;
    supportedParameters?: string[];
    /** USD per token as decimal strings, when the listing publishes prices (OpenRouter, Together). */
    pricing?: Partial<EndpointPricing>;
  }>;
}

/**
 * Adds (or refreshes) the endpoints a provider listing reports. A listed model the catalog knows
 * gains an endpoint for this provider; one it does not know becomes a new model under its
 * normalised id. Limits the listing gives win over the snapshot's (they come from the provider
 * itself); missing limits, modalities and parameters are taken from the model's other
 * endpoints, because they belong to the weights. Prices never are: an unlisted price is unknown.
 * Endpoints of this provider that the listing omits are kept, since a listing can be partial
 * (Azure lists deployments, not models).
 */
export function mergeProviderListing(catalog: Catalog, listing: ProviderModelListing): { catalog: Catalog; warnings: CatalogWarning[] } {
  const warnings: CatalogWarning[] = [];
  const models = new Map(catalog.models.map((model) => [model.id, { ...model, endpoints: [...model.endpoints] }]));
  const source = `${listing.provider} /models listing`;

  for (const listed of listing.models) {
    const normalized = normalizeModelId(listed.id, listing.provider);
    const id = catalog.resolveId(listed.id, listing.provider) ?? models.get(normalized.id)?.id ?? normalized.id;
    const model: CatalogModel = models.get(id) ?? {
      id,
      name: listed.name ?? listed.id,
      endpoints: [],
      ...(assignModelTier(id) ? { tier: assignModelTier(id) } : {}),
    };
    const checked = sanitizeEndpointPricing({ input: listed.pricing?.input, output: listed.pricing?.output, ...listed.pricing }, { source, modelId: id, provider: listing.provider });
    warnings.push(...checked.warnings);

    const index = model.endpoints.findIndex((e) => e.provider === listing.provider && e.upstreamModelId === listed.id);
    const existing = index >= 0 ? model.endpoints[index] : undefined;
    const donor = model.endpoints.find((e) => e.provider !== listing.provider) ?? model.endpoints[0];
    const endpoint: CatalogEndpoint = {
      ...(existing ?? {
        provider: listing.provider,
        upstreamModelId: listed.id,
        dataPolicy: lookupDataPolicy(listing.provider),
      }),
      pricing: listed.pricing ? checked.pricing : (existing?.pricing ?? { input: undefined, output: undefined }),
      contextLength: listed.contextLength ?? existing?.contextLength ?? donor?.contextLength,
      maxOutputTokens: listed.maxOutputTokens ?? existing?.maxOutputTokens ?? donor?.maxOutputTokens,
      inputModalities: listed.inputModalities ?? existing?.inputModalities ?? donor?.inputModalities ?? ['text'],
      outputModalities: listed.outputModalities ?? existing?.outputModalities ?? donor?.outputModalities ?? ['text'],
      supportedParameters: listed.supportedParameters ?? existing?.supportedParameters ?? donor?.supportedParameters ?? ['max_tokens'],
    };
    if (normalized.quantization && endpoint.quantization === undefined) endpoint.quantization = normalized.quantization;
    if (normalized.serviceTier && endpoint.serviceTier === undefined) endpoint.serviceTier = normalized.serviceTier;
    if (index >= 0) {
      model.endpoints[index] = endpoint;
    } else {
      model.endpoints.push(endpoint);
    }
    models.set(id, model);
  }

  const snapshot = catalog.toSnapshot();
  const merged = new Catalog({
    ...snapshot,
    source: snapshot.source.includes(source) ? snapshot.source : `${snapshot.source} + ${source}`,
    models: [...models.values()].sort((a, b) => a.id.localeCompare(b.id)),
  });
  return { catalog: merged, warnings };
}
