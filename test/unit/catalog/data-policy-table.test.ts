import assert from 'node:assert/strict';
import { PRESET_PROVIDERS } from '../../../src/core/catalog/build-catalog-from-models-dev';
import { DATA_POLICY_TABLE, lookupDataPolicy } from '../../../src/core/catalog/data-policy-table';

describe('the data-policy table', () => {
  it('has one row per preset provider, each with an https source and an as-of date', () => {
    const providers = DATA_POLICY_TABLE.map((row) => row.provider).sort();
    assert.deepEqual(providers, Object.values(PRESET_PROVIDERS).sort());
    for (const row of DATA_POLICY_TABLE) {
      assert.match(row.source, /^https:\/\//, row.provider);
      assert.match(row.asOf, /^\d{4}-\d{2}-\d{2}$/, row.provider);
    }
  });

  it('claims ZDR only where retention is off by default, and then also no retention', () => {
    for (const row of DATA_POLICY_TABLE.filter((r) => r.zdr === true)) {
      assert.equal(row.retainsPrompts, false, row.provider);
    }
    assert.deepEqual(
      DATA_POLICY_TABLE.filter((r) => r.zdr === true).map((r) => r.provider),
      ['fireworks'],
    );
  });

  it('leaves what the sources do not state unknown', () => {
    assert.deepEqual(
      (['retainsPrompts', 'trainsOnPrompts', 'zdr'] as const).map((f) => lookupDataPolicy('deepseek')[f]),
      [undefined, undefined, undefined],
    );
    assert.equal(lookupDataPolicy('google').trainsOnPrompts, undefined); // depends on the key's billing tier
    assert.deepEqual(lookupDataPolicy('some-custom-server'), {});
  });

  it('puts the source and date on each endpoint policy', () => {
    assert.match(lookupDataPolicy('openai').source ?? '', /^https:\/\/developers\.openai\.com\/.*\(as of \d{4}-\d{2}-\d{2}\)$/);
  });
});
