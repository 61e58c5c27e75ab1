import assert from 'node:assert/strict';
import { computeCost } from '../../../src/core/ledger/compute-cost';
import { formatUsd, parseUsdDecimal, usdToNanos } from '../../../src/core/ledger/convert-usd-units';
import { estimateReservation } from '../../../src/core/guardrails/estimate-reservation';
import type { Usage } from '../../../src/core/spec/usage';

const usage = (input: Partial<Usage['inputTokens']>, output: Partial<Usage['outputTokens']>): Usage => ({
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined, ...input },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined, ...output },
});

describe('money', () => {
  it('parses published decimal strings exactly, and treats negative or junk prices as unknown', () => {
    assert.equal(parseUsdDecimal('0.000003'), 3_000_000_000_000n);
    assert.equal(parseUsdDecimal('0.0000000375'), 37_500_000_000n);
    assert.equal(parseUsdDecimal('3e-6'), 3_000_000_000_000n);
    assert.equal(parseUsdDecimal('0'), 0n);
    assert.equal(parseUsdDecimal('-1'), undefined, 'OpenRouter publishes -1 for variable prices');
    assert.equal(parseUsdDecimal('free'), undefined);
    assert.equal(parseUsdDecimal(undefined), undefined);
  });

  it('adds a million tiny charges without float drift', () => {
    const one = computeCost(usage({ total: 7, noCache: 7 }, { total: 3 }), { input: '0.0000001', output: '0.0000004' });
    assert.equal(one.nanos, 1900); // 7 × $0.10/M + 3 × $0.40/M = $0.0000019, exactly
    let nanos = 0;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      nanos += usdToNanos(0.000123);
      float += 0.000123;
    }
    assert.equal(nanos, 123_000_000_000);
    assert.notEqual(float, 123, 'the float sum drifts, which is why budgets add nanodollars');
    assert.equal(formatUsd(nanos), '$123.00');
    assert.equal(formatUsd(4_200), '$0.0000042');
  });
});

describe('computeCost', () => {
  const sonnet = { input: '0.000003', output: '0.000015', cacheRead: '0.0000003', cacheWrite: '0.00000375' };

  it("prices the provider's web searches per search, on top of the tokens", () => {
    const searched = { ...usage({ total: 1_000 }, { total: 100 }), webSearchRequests: 3 };
    const cost = computeCost(searched, { ...sonnet, webSearch: '0.01' });
    assert.equal(cost.breakdown.webSearchUsd, 0.03);
    assert.equal(cost.usd, 0.003 + 0.0015 + 0.03);
    // Unpriced searches are named, not billed as free without a word.
    assert.deepEqual(computeCost(searched, sonnet).unknownPriceFields, ['webSearch']);
  });

  it('prices cache reads, cache writes and output separately', () => {
    const cost = computeCost(usage({ total: 12_840, cacheRead: 10_240, cacheWrite: 2_048 }, { total: 1_432, reasoning: 512 }), sonnet);
    assert.deepEqual(cost.breakdown, { inputUsd: 0.001656, cacheReadUsd: 0.003072, cacheWriteUsd: 0.00768, outputUsd: 0.02148, reasoningUsd: 0, requestUsd: 0, imageUsd: 0, webSearchUsd: 0 });
    assert.equal(cost.usd, 0.033888);
    assert.deepEqual(cost.unknownPriceFields, []);
  });

  it('prices one-hour cache writes at their own price and the rest of the writes at the five-minute price', () => {
    const anthropic = { ...sonnet, cacheWrite1h: '0.000006' };
    const cost = computeCost(usage({ noCache: 100, cacheRead: 0, cacheWrite: 3_000, cacheWrite1h: 2_000 }, { total: 0 }), anthropic);
    assert.equal(cost.breakdown.cacheWriteUsd, 0.01575, '1,000 × $3.75/M + 2,000 × $6/M');
    assert.deepEqual(cost.unknownPriceFields, []);
    assert.equal(computeCost(usage({ noCache: 0, cacheWrite: 3_000 }, { total: 0 }), anthropic).breakdown.cacheWriteUsd, 0.01125, 'no split reported: every write at the five-minute price');
    const unpriced = computeCost(usage({ noCache: 0, cacheWrite: 3_000, cacheWrite1h: 2_000 }, { total: 0 }), sonnet);
    assert.equal(unpriced.breakdown.cacheWriteUsd, 0.01125, 'an unknown one-hour price falls back to the five-minute one…');
    assert.deepEqual(unpriced.unknownPriceFields, ['cacheWrite1h'], '…and says so');
  });

  it('prices reasoning apart only when the endpoint publishes a reasoning price', () => {
    const cost = computeCost(usage({ total: 0 }, { total: 1000, reasoning: 600 }), { input: '0', output: '0.00001', reasoning: '0.00002' });
    assert.equal(cost.breakdown.outputUsd, 0.004);
    assert.equal(cost.breakdown.reasoningUsd, 0.012);
  });

  it('applies the long-context override the prompt reaches, and per-request and per-image prices', () => {
    const pricing = { input: '0.00000125', output: '0.00001', request: '0.001', image: '0.0025', overrides: [{ minPromptTokens: 200_000, input: '0.0000025', output: '0.000015' }] };
    const short = computeCost(usage({ total: 199_999 }, { total: 100 }), pricing);
    const long = computeCost(usage({ total: 200_000 }, { total: 100 }), pricing, undefined, { inputImages: 2 });
    assert.equal(short.breakdown.inputUsd, 0.24999875);
    assert.equal(long.breakdown.inputUsd, 0.5);
    assert.equal(long.breakdown.outputUsd, 0.0015);
    assert.equal(long.breakdown.requestUsd, 0.001);
    assert.equal(long.breakdown.imageUsd, 0.005);
    assert.equal(computeCost(usage({ total: 10 }, { total: 1 }), pricing, 250_000).breakdown.inputUsd, 0.000025, 'promptTokensForOverride picks the tier');
  });

  it('says which prices were unknown instead of treating them as free', () => {
    const cost = computeCost(usage({ total: 100, cacheRead: 50 }, { total: 10 }), { input: '0.000001', output: undefined });
    assert.deepEqual(cost.unknownPriceFields, ['cacheRead', 'output']);
    assert.equal(cost.breakdown.cacheReadUsd, 0.00005, 'an unknown cache-read price falls back to the input price, flagged');
    assert.deepEqual(computeCost(usage({}, {}), { input: '0', output: '0' }).unknownTokenKinds, ['input', 'output']);
    assert.deepEqual(computeCost(usage({ total: 1 }, { total: 1 }), { input: '3', output: '0.000015' }).suspiciousPriceFields, ['input'], '$3 per token is a per-million price in the wrong field');
  });
});

describe('estimateReservation', () => {
  it('takes the dearer of input and cache-write, of output and reasoning, rounded up', () => {
    const estimate = estimateReservation({ input: '0.000003', output: '0.000015', cacheWrite: '0.00000375', reasoning: '0.00002' }, 1000, 100);
    assert.equal(estimate.nanos, 1000 * 3750 + 100 * 20_000);
    assert.equal(estimateReservation({ input: '0.0000000001', output: '0' }, 1, 0).nanos, 1, 'a tenth of a nanodollar reserves one');
    assert.deepEqual(estimateReservation({ input: undefined, output: undefined }, 1, 1).unknownPriceFields, ['input', 'output']);
    assert.equal(estimateReservation({ input: '0.000003', output: '0', cacheWrite: '0.00000375', cacheWrite1h: '0.000006' }, 1000, 0).nanos, 1000 * 6000, 'a one-hour write is the dearest a prompt token can cost');
  });
});
