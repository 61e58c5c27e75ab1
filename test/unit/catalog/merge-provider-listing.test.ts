import assert from 'node:assert/strict';
import { Catalog } from '../../../src/core/catalog/catalog';
import { mergeProviderListing } from '../../../src/core/catalog/merge-provider-listing';
import { buildTestSnapshot } from './build-test-snapshot';

describe('mergeProviderListing', () => {
  const catalog = new Catalog(buildTestSnapshot());

  it('adds an endpoint to a known model, with an unknown price and the limits of the weights', () => {
    const { catalog: merged, warnings } = mergeProviderListing(catalog, { provider: 'azure', models: [{ id: 'claude-sonnet-4-5' }] });
    const endpoint = merged.getEndpoint('anthropic/claude-sonnet-4.5', 'azure');
    assert.ok(endpoint);
    assert.equal(endpoint.upstreamModelId, 'claude-sonnet-4-5');
    assert.equal(endpoint.pricing.input, undefined);
    assert.equal(endpoint.pricing.output, undefined);
    assert.equal(endpoint.contextLength, 200000);
    assert.deepEqual(warnings, []);
    // the input catalog is untouched
    assert.equal(catalog.getEndpoint('anthropic/claude-sonnet-4.5', 'azure'), undefined);
  });

  it('updates an existing endpoint with the limits the provider reports, keeping its price', () => {
    const { catalog: merged } = mergeProviderListing(catalog, { provider: 'groq', models: [{ id: 'llama-3.3-70b-versatile', contextLength: 65536 }] });
    const endpoints = merged.getModel('meta-llama/llama-3.3-70b-instruct')?.endpoints ?? [];
    assert.equal(endpoints.length, 1);
    assert.equal(endpoints[0]?.contextLength, 65536);
    assert.equal(endpoints[0]?.pricing.input, '0.00000059');
  });

  it('creates a model for an id the catalog does not know, under its normalised id', () => {
    const { catalog: merged } = mergeProviderListing(catalog, {
      provider: 'anthropic',
      models: [{ id: 'claude-opus-4-8-20260601', name: 'Claude Opus 4.8' }],
    });
    const model = merged.getModel('anthropic/claude-opus-4.8');
    assert.equal(model?.name, 'Claude Opus 4.8');
    assert.equal(model?.tier, 1);
    assert.equal(model?.endpoints[0]?.pricing.input, undefined);
    assert.equal(merged.resolveId('claude-opus-4-8-20260601', 'anthropic'), 'anthropic/claude-opus-4.8');
  });

  it('keeps local models apart under the provider name', () => {
    const { catalog: merged } = mergeProviderListing(catalog, { provider: 'ollama', models: [{ id: 'llama3.2:3b', contextLength: 8192 }] });
    assert.equal(merged.getModel('llama3.2:3b', 'ollama')?.id, 'ollama/llama3.2:3b');
  });

  it('checks prices a listing publishes and drops one of the wrong magnitude with a warning', () => {
    const { catalog: merged, warnings } = mergeProviderListing(catalog, {
      provider: 'together',
      models: [{ id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', pricing: { input: '0.88', output: '0.00000088' } }],
    });
    const endpoint = merged.getEndpoint('meta-llama/llama-3.3-70b-instruct', 'together');
    assert.equal(endpoint?.pricing.input, undefined);
    assert.equal(endpoint?.pricing.output, '0.00000088');
    assert.equal(warnings[0]?.field, 'pricing.input');
    assert.equal(warnings[0]?.provider, 'together');
  });
});
