import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RoutePlan } from '../../../src/core/routing/route-plan';
import { goldenCases, summariseError, summarisePlan, type GoldenOutcome } from './plan-route-golden-cases';

/**
 * Pins the planner's decisions: every row of the golden table must give the plan recorded in
 * test/fixtures/routing/plan-route-golden.json, to the byte. Speed work on the planner must not
 * move a target or a rejection. After an intended change of decisions, regenerate with
 * `PERPETUO_UPDATE_GOLDEN=1 npx mocha --no-config --require tsx/cjs test/unit/routing/plan-route-golden.test.ts`
 * and review the diff.
 */
const GOLDEN_FILE = join(__dirname, '../../fixtures/routing/plan-route-golden.json');

function outcomeOf(run: () => RoutePlan): GoldenOutcome {
  try {
    return summarisePlan(run());
  } catch (error) {
    return summariseError(error);
  }
}

describe('planRoute golden table', function () {
  this.timeout(120_000);
  const cases = goldenCases();

  if (process.env.PERPETUO_UPDATE_GOLDEN === '1') {
    it('writes the golden file', () => {
      const golden: Record<string, GoldenOutcome> = {};
      for (const row of cases) {
        assert.equal(golden[row.name], undefined, `duplicate row ${row.name}`);
        golden[row.name] = outcomeOf(row.run);
      }
      mkdirSync(dirname(GOLDEN_FILE), { recursive: true });
      writeFileSync(GOLDEN_FILE, `${JSON.stringify(golden, null, 1)}\n`);
    });
    return;
  }

  const golden = existsSync(GOLDEN_FILE) ? (JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, GoldenOutcome>) : {};

  it('has a recorded plan for every row and a row for every recorded plan', () => {
    assert.deepEqual(cases.map((row) => row.name).sort(), Object.keys(golden).sort());
  });

  it('covers catalog-wide plans, named plans and errors in every catalog', () => {
    const outcomes = Object.values(golden);
    assert.ok(outcomes.length > 500, `${outcomes.length} rows`);
    assert.ok(outcomes.filter((outcome) => 'error' in outcome && outcome.error === 'no-eligible-model').length >= 20);
    assert.ok(outcomes.filter((outcome) => 'targets' in outcome && outcome.rejected > 300).length >= 100);
    const reasons = new Set(outcomes.flatMap((outcome) => ('reasons' in outcome ? Object.keys(outcome.reasons) : [])));
    for (const reason of ['no-key', 'circuit-open', 'model-denied', 'service-tier', 'zdr-required', 'data-collection', 'quantization', 'modality', 'context-length', 'max-output', 'missing-parameter', 'price-unknown', 'max-price', 'cost-cap', 'fallbacks-disabled', 'not-in-only', 'provider-ignored', 'output-modality', 'not-free']) {
      assert.ok(reasons.has(reason), `no row rejects for ${reason}`);
    }
  });

  for (const row of cases) {
    it(row.name, () => {
      const first = outcomeOf(row.run);
      assert.deepEqual(first, golden[row.name]);
      // Planning again over the same objects (the caches warm now) decides the same.
      assert.deepEqual(outcomeOf(row.run), first);
    });
  }
});
