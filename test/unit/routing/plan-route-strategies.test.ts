import assert from 'node:assert/strict';
import { model, endpoint, perMillion, percentiles, snapshot, chat } from './build-test-catalog';
import { expectError, order, plan } from './plan-for-test';
import { planRoute } from '../../../src/core/routing/plan-route';

const CANDIDATES = ['openai/gpt-5', 'openai/gpt-5-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash'];
const DIRECT = ['openai', 'anthropic', 'google'];

describe('planRoute strategies', () => {
  it('cheapest orders by the estimated cost of this request', () => {
    const result = plan('perpetuo/cheapest', { models: CANDIDATES, providers: DIRECT });
    assert.deepEqual(order(result), [
      'openai/gpt-5-mini@openai',
      'google/gemini-2.5-flash@google',
      'openai/gpt-5@openai',
      'anthropic/claude-sonnet-4.5@anthropic',
    ]);
    // 11 prompt tokens at $0.25/M + 1,024 default output tokens at $2/M.
    assert.equal(result.estimates.outputTokensBasis, 'default');
    const cost = result.targets[0]?.estimatedCostUsd ?? 0;
    assert.ok(Math.abs(cost - (result.estimates.promptTokens * 0.25e-6 + 1024 * 2e-6)) < 1e-12);
    assert.match(result.targets[0]?.why ?? '', /cheapest: est\. \$0\.00205/);
  });

  it('cheapest counts the output the request asks for, so a cheap-input model can lose', () => {
    const result = plan('perpetuo/cheapest', { models: ['openai/gpt-5-mini', 'meta/llama-3.3-70b'], providers: ['openai', 'groq'], chat: chat('x', { maxOutputTokens: 10_000 }) });
    // 10k output: mini $0.02 vs llama on groq $0.0079.
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@groq', 'openai/gpt-5-mini@openai']);
    assert.equal(result.estimates.outputTokensBasis, 'request');
  });

  it('fastest uses live TTFT and throughput, then the catalog, unknown last', () => {
    const metrics = snapshot({
      'openai/gpt-5': { ttftMs: percentiles(2_000), throughput: percentiles(40) },
      'google/gemini-2.5-flash': { ttftMs: percentiles(300), throughput: percentiles(200) },
    });
    const result = plan('perpetuo/fastest', { models: ['openai/gpt-5', 'google/gemini-2.5-flash', 'openai/gpt-5-mini'], providers: DIRECT, metrics });
    assert.deepEqual(order(result), ['google/gemini-2.5-flash@google', 'openai/gpt-5@openai', 'openai/gpt-5-mini@openai']);
    assert.match(result.targets[0]?.why ?? '', /fastest: ~5\.4 s \(TTFT 300 ms, 200 tok\/s, live 5m\)/);
    assert.match(result.targets[2]?.why ?? '', /speed unknown/);
  });

  it('fastest falls back to the catalog stats when live samples are too few', () => {
    const catalog = [
      model('a/slow', [endpoint('p', { stats: { latencyP50Ms: 3_000, throughputP50: 20 } })]),
      model('a/quick', [endpoint('p', { upstreamModelId: 'quick', stats: { latencyP50Ms: 200, throughputP50: 150 } })]),
    ];
    const thin = { endpoints: new Map([['p/quick', { recent: { samples: 2, errors: 0, errorRate: 0, ttftMs: percentiles(9_000) }, hour: { samples: 2, errors: 0, errorRate: 0 } }]]) };
    const result = planRoute({ model: 'perpetuo/fastest', chat: chat('hi') }, catalog, new Set(['p']), { strategy: 'cheapest' }, thin);
    assert.deepEqual(result.targets.map((target) => target.modelId), ['a/quick', 'a/slow']);
    assert.match(result.targets[0]?.why ?? '', /catalog/);
  });

  it('reliable orders by live error rate, then published uptime, unknown assumed 2%', () => {
    const metrics = snapshot({ 'openai/gpt-5': { samples: 100, errors: 9, errorRate: 0.09 }, 'google/gemini-2.5-flash': { samples: 100, errors: 0, errorRate: 0 } });
    const result = plan('perpetuo/reliable', { models: ['openai/gpt-5', 'google/gemini-2.5-flash', 'openai/gpt-5-mini'], providers: DIRECT, metrics });
    assert.deepEqual(order(result), ['google/gemini-2.5-flash@google', 'openai/gpt-5-mini@openai', 'openai/gpt-5@openai']);
    assert.match(result.targets[0]?.why ?? '', /most reliable: 0\.0% errors \(live 5m\)/);
  });

  it('quality orders by tier, then price', () => {
    const result = plan('perpetuo/quality', { models: CANDIDATES, providers: ['openai', 'anthropic', 'google', 'azure'] });
    assert.deepEqual(order(result), [
      'openai/gpt-5@openai',
      'openai/gpt-5@azure',
      'google/gemini-2.5-flash@google',
      'anthropic/claude-sonnet-4.5@anthropic',
      'openai/gpt-5-mini@openai',
    ]);
  });

  describe('balanced (0.35 quality, 0.35 cost on a log scale, 0.15 speed, 0.15 reliability)', () => {
    const catalogAt = (strongPricePerMillion: number) => [
      model('x/strong', [endpoint('p', { upstreamModelId: 'strong', pricing: { input: '0', output: perMillion(strongPricePerMillion) } })], { tier: 1 }),
      model('x/middle', [endpoint('p', { upstreamModelId: 'middle', pricing: { input: '0', output: perMillion(1) } })], { tier: 2 }),
      model('x/weak', [endpoint('p', { upstreamModelId: 'weak', pricing: { input: '0', output: perMillion(1) } })], { tier: 3 }),
    ];
    const balanced = (strongPrice: number, maxOutputTokens: number) =>
      planRoute({ model: 'perpetuo/balanced', chat: chat('hi', { maxOutputTokens }) }, catalogAt(strongPrice), new Set(['p']), { strategy: 'cheapest' }, { endpoints: new Map() });

    it('takes a model one tier stronger while it costs less than ten times more', () => {
      const result = balanced(5, 1_000);
      assert.deepEqual(result.targets.map((target) => target.modelId), ['x/strong', 'x/middle', 'x/weak']);
      // strong $0.005: 0.35·1 + 0.35·(1 − log10(50)/4) + 0.15·0.5 (speed unknown) + 0.15·0.8 (2% assumed errors).
      assert.match(result.targets[0]?.why ?? '', /balanced score 0\.75: tier 1, est\. \$0\.00500/);
    });
    it('takes the cheaper model once the stronger one costs more than ten times as much', () => {
      assert.equal(balanced(20, 1_000).targets[0]?.modelId, 'x/middle');
    });
    it('decides the same way whatever the size of the request', () => {
      assert.equal(balanced(5, 10_000).targets[0]?.modelId, 'x/strong');
      assert.equal(balanced(20, 10_000).targets[0]?.modelId, 'x/middle');
    });
  });

  it('priority follows the user order of globs, providers and endpoints', () => {
    const result = plan('perpetuo/priority', {
      providers: DIRECT,
      policy: { priority: ['anthropic/*', 'google', 'openai/gpt-5-mini'] },
    });
    assert.deepEqual(order(result), [
      'anthropic/claude-sonnet-4.5@anthropic',
      'anthropic/claude-opus-4.1@anthropic',
      'google/gemini-2.5-flash@google',
      'openai/gpt-5-mini@openai',
    ]);
    assert.match(result.targets[0]?.why ?? '', /priority #1 \("anthropic\/\*"\)/);
    // openai/gpt-5 is not in the list: out of scope for a catalog-wide priority route.
    assert.equal(result.scope.outOfScope, 3);
  });

  it('priority without a list is a config error that says what to set', () => {
    const error = expectError(() => plan('perpetuo/priority'));
    assert.equal(error.kind, 'config');
    assert.match(error.message, /perpetuo\.routing\.priority/);
  });

  it('perpetuo/default uses the policy strategy', () => {
    const result = plan('perpetuo/default', { models: CANDIDATES, providers: DIRECT, policy: { strategy: 'quality' } });
    assert.equal(result.strategy, 'quality');
    assert.equal(result.targets[0]?.modelId, 'openai/gpt-5');
  });

  it("the policy strategy orders a named model's endpoints", () => {
    const cheapest = plan('openai/gpt-5', { providers: ['openai', 'azure', 'openrouter'] });
    assert.deepEqual(order(cheapest), ['openai/gpt-5@openai', 'openai/gpt-5@openrouter', 'openai/gpt-5@azure']);
    const reliable = plan('openai/gpt-5', {
      providers: ['openai', 'azure', 'openrouter'],
      policy: { strategy: 'reliable' },
      metrics: snapshot({ 'openai/gpt-5': { errorRate: 0.2, errors: 4 }, 'azure/gpt-5-deploy': { errorRate: 0 } }),
    });
    assert.deepEqual(order(reliable), ['openai/gpt-5@azure', 'openai/gpt-5@openrouter', 'openai/gpt-5@openai']);
  });

  it('a catalog-wide route keeps 1 + 4 fallbacks by default, maxFallbacks when set, and counts the rest', () => {
    const result = plan('perpetuo/cheapest', { policy: { allowUnpriced: true } });
    assert.equal(result.targets.length, 5);
    assert.ok(result.eligibleCount > 5);
    const capped = plan('perpetuo/cheapest', { policy: { maxFallbacks: 1 } });
    assert.equal(capped.targets.length, 2);
    assert.equal(capped.maxFallbacks, 1);
  });
});
