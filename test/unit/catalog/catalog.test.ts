import assert from 'node:assert/strict';
import { Catalog } from '../../../src/core/catalog/catalog';
import { loadBundledCatalog } from '../../../src/core/catalog/load-bundled-catalog';
import { PerpetuoError } from '../../../src/core/errors';
import { buildTestSnapshot } from './build-test-snapshot';

describe('Catalog', () => {
  const catalog = new Catalog(buildTestSnapshot());

  it('gets a model by canonical id, upstream id, alias or a name that normalises to it', () => {
    for (const name of ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'CLAUDE-SONNET-4-5', 'anthropic/claude-sonnet-4-5']) {
      assert.equal(catalog.getModel(name)?.id, 'anthropic/claude-sonnet-4.5', name);
    }
    assert.equal(catalog.resolveId('llama-3.3-70b-versatile', 'groq'), 'meta-llama/llama-3.3-70b-instruct');
    assert.equal(catalog.resolveId('no-such-model'), undefined);
  });

  it('lists what a provider serves and finds models by predicate', () => {
    assert.deepEqual(
      catalog.listByProvider('openrouter').map(({ model }) => model.id),
      ['anthropic/claude-sonnet-4.5', 'qwen/qwen3-max'],
    );
    assert.deepEqual(
      catalog.findModels((m) => m.tier === 1).map((m) => m.id),
      ['anthropic/claude-sonnet-4.5'],
    );
    assert.equal(catalog.getEndpoint('claude-sonnet-4-5', 'openrouter')?.contextLength, 1000000);
  });

  it('suggests close names for a typo or a partial name', () => {
    assert.equal(catalog.closeMatches('claude-sonet-4.5')[0], 'anthropic/claude-sonnet-4.5');
    assert.equal(catalog.closeMatches('llama 70b')[0], 'meta-llama/llama-3.3-70b-instruct');
    assert.deepEqual(catalog.closeMatches('zzzz'), []);
  });

  it('turns an unknown model into a config error that suggests the closest ids', () => {
    assert.throws(
      () => catalog.requireModel('qwen3-maxx'),
      (error: unknown) => PerpetuoError.is(error) && error.kind === 'config' && /Unknown model "qwen3-maxx".*Did you mean "qwen\/qwen3-max"/.test(error.message),
    );
  });

  it('finds close matches in the real snapshot', () => {
    const bundled = new Catalog(loadBundledCatalog().snapshot);
    assert.ok(bundled.closeMatches('gpt5-mini').includes('openai/gpt-5-mini'));
    assert.ok(bundled.closeMatches('sonnet 4.5').includes('anthropic/claude-sonnet-4.5'));
    assert.equal(bundled.resolveId('gemini-2.5-pro'), 'google/gemini-2.5-pro');
    assert.equal(bundled.resolveId('models/gemini-2.5-pro', 'google'), 'google/gemini-2.5-pro');
  });
});
