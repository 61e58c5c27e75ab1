import assert from 'node:assert/strict';
import { sanitizeEndpointPricing } from '../../../src/core/catalog/sanitize-endpoint-pricing';

const context = { source: 'test source', modelId: 'acme/model-x', provider: 'acme' };

describe('sanitizeEndpointPricing', () => {
  it('keeps believable per-token prices untouched', () => {
    const pricing = { input: '0.000003', output: '0.000015', cacheRead: '0.0000003', image: '0.0048' };
    const result = sanitizeEndpointPricing(pricing, context);
    assert.deepEqual(result.pricing, pricing);
    assert.deepEqual(result.warnings, []);
  });

  it('flags a per-million price given as per-token, naming model, provider and field, and makes it unknown', () => {
    const result = sanitizeEndpointPricing({ input: '3', output: '0.000015' }, context);
    assert.equal(result.pricing.input, undefined);
    assert.equal(result.pricing.output, '0.000015');
    assert.equal(result.warnings.length, 1);
    const [warning] = result.warnings;
    assert.equal(warning?.modelId, 'acme/model-x');
    assert.equal(warning?.provider, 'acme');
    assert.equal(warning?.field, 'pricing.input');
    assert.match(warning?.message ?? '', /per-million/);
  });

  it('flags a per-thousand price just above the limit, and an absurd per-image price', () => {
    const result = sanitizeEndpointPricing({ input: '0.015', output: '0.00006', image: '48' }, context);
    assert.equal(result.pricing.input, undefined);
    assert.equal(result.pricing.image, undefined);
    assert.deepEqual(
      result.warnings.map((w) => w.field),
      ['pricing.input', 'pricing.image'],
    );
  });

  it('treats a negative "variable price" marker as unknown, never as free', () => {
    const result = sanitizeEndpointPricing({ input: '-1', output: '-1' }, context);
    assert.equal(result.pricing.input, undefined);
    assert.equal(result.pricing.output, undefined);
    assert.notEqual(result.pricing.input, '0');
    assert.equal(result.warnings.length, 2);
  });

  it('checks long-context overrides too', () => {
    const result = sanitizeEndpointPricing({ input: '0.000003', output: '0.000015', overrides: [{ minPromptTokens: 200001, input: '6', output: '0.0000225' }] }, context);
    assert.deepEqual(result.pricing.overrides, [{ minPromptTokens: 200001, output: '0.0000225' }]);
    assert.equal(result.warnings[0]?.field, 'pricing.overrides[0].input');
  });

  it('leaves an unknown price unknown without a warning', () => {
    const result = sanitizeEndpointPricing({ input: undefined, output: undefined }, context);
    assert.equal(result.pricing.input, undefined);
    assert.deepEqual(result.warnings, []);
  });
});
