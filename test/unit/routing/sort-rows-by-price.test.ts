import assert from 'node:assert/strict';
import { FLAG_REASONING, META_COLUMNS, META_FLAGS, META_TIER, indexCatalog, type CatalogIndex } from '../../../src/core/routing/index-catalog';
import { sortRowsByPrice, tierKindOf } from '../../../src/core/routing/sort-rows-by-price';
import { buildSyntheticCatalog, seeded } from '../../support/build-synthetic-catalog';
import { CATALOG } from './test-catalog';

/** The synthetic catalog with some prices unknown, and the hand-written one (unpriced local model, few rows per provider). */
function catalogs(): Array<[string, CatalogIndex]> {
  const synthetic = buildSyntheticCatalog(seeded(17)).map((model, position) => ({
    ...model,
    reasoning: position % 3 === 0 ? true : undefined,
    tier: position % 11 === 0 ? undefined : model.tier,
    endpoints: model.endpoints.map((endpoint, offset) => (position % 13 === offset ? { ...endpoint, pricing: { ...endpoint.pricing, output: undefined } } : endpoint)),
  }));
  return [
    ['synthetic', indexCatalog(synthetic)],
    ['test', indexCatalog(CATALOG)],
  ];
}

describe('sortRowsByPrice', () => {
  for (const [name, index] of catalogs()) {
    describe(`${name} catalog`, () => {
      const order = sortRowsByPrice(index);
      const { meta, prices } = index.figures;
      const runs = [...index.byProvider].map(([provider, endpoints]) => {
        const start = index.figures.start.get(provider) ?? 0;
        return { provider, start, end: start + endpoints.length };
      });
      const priceSum = (row: number): number => (prices[row * 2] ?? Number.NaN) + (prices[row * 2 + 1] ?? Number.NaN);

      it("holds each provider's rows in its own slots, cheapest first and unknown prices last", () => {
        for (const { provider, start, end } of runs) {
          const rows = [...order.rows.subarray(start, end)];
          assert.deepEqual([...rows].sort((a, b) => a - b), Array.from({ length: end - start }, (_, offset) => start + offset), provider);
          for (let slot = start + 1; slot < end; slot++) {
            const before = priceSum(order.rows[slot - 1] ?? 0);
            const here = priceSum(order.rows[slot] ?? 0);
            assert.ok(Number.isNaN(here) || before <= here, `${provider}, slot ${slot}: ${before} before ${here}`);
          }
        }
      });

      it('gives at each slot exactly the lowest known prices and the kinds of model of the rows from it to the end of its run', () => {
        for (const { provider, start, end } of runs) {
          for (let slot = start; slot < end; slot++) {
            let lowestInput = Number.POSITIVE_INFINITY;
            let lowestOutput = Number.POSITIVE_INFINITY;
            let kinds = 0;
            for (let later = slot; later < end; later++) {
              const row = order.rows[later] ?? 0;
              const input = prices[row * 2] ?? Number.NaN;
              const output = prices[row * 2 + 1] ?? Number.NaN;
              if (!Number.isNaN(input) && !Number.isNaN(output)) {
                lowestInput = Math.min(lowestInput, input);
                lowestOutput = Math.min(lowestOutput, output);
              }
              kinds |= 1 << tierKindOf(meta[row * META_COLUMNS + META_TIER] ?? 0, ((meta[row * META_COLUMNS + META_FLAGS] ?? 0) & FLAG_REASONING) !== 0);
            }
            assert.equal(order.lowestInput[slot], lowestInput, `${provider}, slot ${slot}: lowest input`);
            assert.equal(order.lowestOutput[slot], lowestOutput, `${provider}, slot ${slot}: lowest output`);
            assert.equal(order.tierKinds[slot], kinds, `${provider}, slot ${slot}: kinds of model`);
          }
        }
      });
    });
  }
});
