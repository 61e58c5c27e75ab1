import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { PRESET_PROVIDERS } from '../../../src/core/catalog/build-catalog-from-models-dev';
import { Catalog } from '../../../src/core/catalog/catalog';
import { loadBundledCatalog } from '../../../src/core/catalog/load-bundled-catalog';

const PRICE_FIELDS = ['input', 'output', 'cacheRead', 'cacheWrite', 'reasoning', 'image', 'request'] as const;

describe('the bundled catalog snapshot', () => {
  const { snapshot, warnings } = loadBundledCatalog();
  const catalog = new Catalog(snapshot);

  it('validates without warnings and records its date and source', () => {
    assert.deepEqual(warnings, []);
    assert.equal(snapshot.snapshotDate, '2026-07-02');
    assert.match(snapshot.source, /models\.dev/);
  });

  it('stays under 1.5 MB', () => {
    const bytes = statSync(join(__dirname, '../../../src/core/catalog/bundled-catalog.json')).size;
    assert.ok(bytes < 1.5 * 1024 * 1024, `${bytes} bytes`);
  });

  it('has models from every preset provider', () => {
    for (const provider of Object.values(PRESET_PROVIDERS)) {
      assert.ok(catalog.listByProvider(provider).length > 0, `no model for ${provider}`);
    }
  });

  it('stores every price as a plain per-token decimal string without float artefacts', () => {
    let checked = 0;
    for (const model of snapshot.models) {
      for (const endpoint of model.endpoints) {
        const perUnit = [endpoint.pricing.image, endpoint.pricing.request];
        const perToken = [
          ...PRICE_FIELDS.slice(0, 5).map((f) => endpoint.pricing[f]),
          ...(endpoint.pricing.overrides ?? []).flatMap((o) => [o.input, o.output, o.cacheRead, o.cacheWrite]),
        ];
        for (const [prices, max] of [[perToken, 0.01], [perUnit, 1]] as const) {
          for (const price of prices) {
            if (price === undefined) continue;
            checked++;
            assert.match(price, /^\d+(\.\d+)?$/, `${model.id} via ${endpoint.provider}: ${price}`);
            // A float artefact is a significant digit, a long run of 0s or 9s, then more digits (0.0000030000000000000004).
            assert.doesNotMatch(price, /[1-9](0{6,}|9{6,})\d+$/, `${model.id} via ${endpoint.provider}: ${price}`);
            assert.ok(Number(price) <= max, `${model.id} via ${endpoint.provider}: ${price}`);
          }
        }
        if (endpoint.pricing.input !== undefined) {
          assert.ok(Number(endpoint.pricing.input) < 0.001, `${model.id} via ${endpoint.provider}: input ${endpoint.pricing.input} per token`);
        }
      }
    }
    assert.ok(checked > 1000);
  });

  it('merges the same model across providers under one id', () => {
    const providersOf = (id: string) => new Set(catalog.getModel(id)?.endpoints.map((e) => e.provider));
    assert.deepEqual(providersOf('anthropic/claude-sonnet-4.5'), new Set(['anthropic', 'openrouter', 'azure']));
    assert.ok(['groq', 'together', 'openrouter', 'azure'].every((p) => providersOf('meta-llama/llama-3.3-70b-instruct').has(p)));
    assert.ok(['openai', 'openrouter', 'azure'].every((p) => providersOf('openai/gpt-5').has(p)));
    assert.ok(['groq', 'together', 'fireworks', 'openrouter'].every((p) => providersOf('openai/gpt-oss-120b').has(p)));
    assert.equal(catalog.resolveId('claude-sonnet-4-5-20250929'), 'anthropic/claude-sonnet-4.5');
    assert.equal(catalog.resolveId('accounts/fireworks/models/kimi-k2p6', 'fireworks'), 'moonshotai/kimi-k2.6');
  });

  it('has no deprecated or embedding models, and gives every model a name', () => {
    for (const model of snapshot.models) {
      assert.doesNotMatch(model.id, /embed|whisper|claude-3-opus/);
      assert.ok(model.name.length > 0);
    }
  });

  it('never claims ZDR for a provider the data-policy table does not say is ZDR by default', () => {
    const zdrProviders = new Set(snapshot.models.flatMap((m) => m.endpoints.filter((e) => e.dataPolicy.zdr === true).map((e) => e.provider)));
    assert.deepEqual([...zdrProviders], ['fireworks']);
  });
});
