import assert from 'node:assert/strict';
import { parseCatalogSnapshot } from '../../../src/core/catalog/parse-catalog-snapshot';
import { PerpetuoError } from '../../../src/core/errors';
import { buildTestSnapshot } from './build-test-snapshot';

function rejects(value: unknown, ...fragments: string[]): void {
  assert.throws(
    () => parseCatalogSnapshot(value, 'cache file /tmp/x.json'),
    (error: unknown) => {
      assert.ok(PerpetuoError.is(error));
      assert.equal(error.kind, 'config');
      for (const fragment of ['cache file /tmp/x.json', ...fragments]) {
        assert.ok(error.message.includes(fragment), `"${error.message}" should mention ${fragment}`);
      }
      return true;
    },
  );
}

describe('parseCatalogSnapshot', () => {
  it('accepts a valid snapshot and restores absent prices as explicit unknowns', () => {
    const snapshot = buildTestSnapshot();
    const first = snapshot.models[0]?.endpoints[0];
    assert.ok(first);
    first.pricing = { input: undefined, output: '0.000015' };
    const { snapshot: parsed, warnings } = parseCatalogSnapshot(JSON.parse(JSON.stringify(snapshot)), 'test');
    const pricing = parsed.models[0]?.endpoints[0]?.pricing;
    assert.ok(pricing && 'input' in pricing && pricing.input === undefined);
    assert.deepEqual(warnings, []);
  });

  it('rejects a price given as a JSON number, naming the field and the value', () => {
    const snapshot = JSON.parse(JSON.stringify(buildTestSnapshot()));
    snapshot.models[1].endpoints[0].pricing.input = 0.00000059;
    rejects(snapshot, 'models[1].endpoints[0].pricing.input', '5.9e-7');
  });

  it('rejects a price in exponent notation', () => {
    const snapshot = JSON.parse(JSON.stringify(buildTestSnapshot()));
    snapshot.models[0].endpoints[1].pricing.output = '1.5e-5';
    rejects(snapshot, 'models[0].endpoints[1].pricing.output', 'decimal string');
  });

  it('rejects an id that is not author/model and a bad snapshot date', () => {
    rejects({ ...buildTestSnapshot(), snapshotDate: '02/07/2026' }, 'snapshotDate');
    const snapshot = JSON.parse(JSON.stringify(buildTestSnapshot()));
    snapshot.models[2].id = 'qwen3-max';
    rejects(snapshot, 'models[2].id', 'author/model');
  });

  it('rejects a wrong schema version and a missing models list', () => {
    rejects({ ...buildTestSnapshot(), schemaVersion: 2 }, 'schemaVersion');
    const { models: _models, ...withoutModels } = buildTestSnapshot();
    rejects(withoutModels, 'models');
  });

  it('rejects a duplicated model id', () => {
    const snapshot = buildTestSnapshot();
    snapshot.models.push({ ...snapshot.models[0]! });
    rejects(JSON.parse(JSON.stringify(snapshot)), 'anthropic/claude-sonnet-4.5', 'twice');
  });

  it('drops an insane price with a warning instead of rejecting the whole catalog', () => {
    const snapshot = JSON.parse(JSON.stringify(buildTestSnapshot()));
    snapshot.models[2].endpoints[0].pricing.output = '6';
    const { snapshot: parsed, warnings } = parseCatalogSnapshot(snapshot, 'test');
    assert.equal(parsed.models[2]?.endpoints[0]?.pricing.output, undefined);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.modelId, 'qwen/qwen3-max');
    assert.equal(warnings[0]?.field, 'pricing.output');
  });
});
