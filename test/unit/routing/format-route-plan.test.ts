import assert from 'node:assert/strict';
import { formatRoutePlan } from '../../../src/core/routing/format-route-plan';
import { routePlanSchema } from '../../../src/core/routing/route-plan';
import { chat } from './build-test-catalog';
import { plan } from './plan-for-test';

describe('RoutePlan as a decision record', () => {
  const result = plan('openai/gpt-5', {
    providers: ['openai', 'azure', 'openrouter'],
    models: ['openai/gpt-5-mini'],
    provider: { zdr: true },
    policy: { maxCostPerRequestUsd: 0.5 },
  });

  it('round-trips through JSON unchanged and passes its schema', () => {
    const copy: unknown = JSON.parse(JSON.stringify(result));
    assert.deepEqual(copy, result);
    assert.deepEqual(routePlanSchema.parse(copy), result);
    const auto: unknown = JSON.parse(JSON.stringify(plan('perpetuo/auto', { chat: chat('Fix this bug in my function') })));
    assert.ok(routePlanSchema.safeParse(auto).success);
  });

  it('formatRoutePlan reads as an explanation', () => {
    const text = formatRoutePlan(result);
    assert.match(text, /^Requested openai\/gpt-5 \(strategy cheapest\)\n/);
    assert.match(text, /Estimated \d+ prompt tokens and 1k output tokens \(default expectation\)\./);
    assert.match(text, /Chosen: openai\/gpt-5 via azure \(gpt-5-deploy\), est\. \$0\.0123, because requested model; cheapest: est\. \$0\.0123\./);
    assert.match(text, /Rejected 3:\n {2}- not zero-data-retention \(3\): openai\/gpt-5 via openai, openai\/gpt-5 via openrouter, openai\/gpt-5-mini via openai; e\.g\. provider\.zdr requires zero data retention; openai is not ZDR/);
    assert.equal(result.explanation, 'openai/gpt-5 via azure: requested model; cheapest: est. $0.0123; 3 rejected (not zero-data-retention ×3)');
  });

  it('formatRoutePlan lists fallbacks, unlisted eligible endpoints and the scope', () => {
    const route = plan('perpetuo/cheapest', { policy: { maxFallbacks: 1, denyModels: ['local/*'] } });
    const text = formatRoutePlan(route);
    assert.match(text, /Fallback 1: /);
    assert.match(text, /more eligible endpoints? not listed \(at most 1 fallbacks\)\./);
    assert.match(text, /1 catalog models were out of scope \(denyModels \[local\/\*\]\)\./);
  });
});
