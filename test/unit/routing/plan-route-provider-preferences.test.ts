import assert from 'node:assert/strict';
import { planRoute } from '../../../src/core/routing/plan-route';
import { chat, endpoint, model, percentiles, snapshot } from './build-test-catalog';
import { expectError, order, plan, rejections } from './plan-for-test';

const GPT5_KEYS = ['openai', 'azure', 'openrouter'];

describe('planRoute provider{} (OpenRouter semantics)', () => {
  it('order: listed providers first, in that order, the rest after as fallbacks', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { order: ['azure', 'openrouter'] } });
    assert.deepEqual(order(result), ['openai/gpt-5@azure', 'openai/gpt-5@openrouter', 'openai/gpt-5@openai']);
    assert.match(result.targets[0]?.why ?? '', /provider\.order #1/);
  });

  it('order + allow_fallbacks:false: only the order providers', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { order: ['azure', 'openrouter'], allow_fallbacks: false } });
    assert.deepEqual(order(result), ['openai/gpt-5@azure', 'openai/gpt-5@openrouter']);
    assert.deepEqual(rejections(result), ['openai/gpt-5@openai:fallbacks-disabled']);
    assert.equal(result.allowFallbacks, false);
  });

  it("allow_fallbacks:false without order: each named model's primary endpoint only; models[] still apply", () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, models: ['openai/gpt-5-mini'], provider: { allow_fallbacks: false } });
    assert.deepEqual(order(result), ['openai/gpt-5@openai', 'openai/gpt-5-mini@openai']);
    assert.deepEqual(rejections(result).sort(), ['openai/gpt-5@azure:fallbacks-disabled', 'openai/gpt-5@openrouter:fallbacks-disabled']);
  });

  it('only: an allow-list of providers', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { only: ['azure', 'openrouter'] } });
    assert.deepEqual(order(result), ['openai/gpt-5@openrouter', 'openai/gpt-5@azure']);
    assert.deepEqual(rejections(result), ['openai/gpt-5@openai:not-in-only']);
  });

  it('only under the policy ceiling: nothing in both fails with 404 and names both lists', () => {
    const error = expectError(() => plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { only: ['azure'] }, policy: { allowProviders: ['openai', 'openrouter'] } }));
    assert.equal(error.kind, 'no-eligible-model');
    assert.equal(error.statusCode, 404);
    assert.match(error.message, /provider outside your allowProviders \(1\): openai\/gpt-5 via azure/);
    assert.match(error.message, /provider outside provider\.only \(2\)/);
  });

  it('ignore: a deny-list of providers', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { ignore: ['openai'] } });
    assert.deepEqual(rejections(result), ['openai/gpt-5@openai:provider-ignored']);
  });

  it('a base slug matches every region of a provider, a full slug one endpoint', () => {
    const catalog = [
      model('google/gemini-2.5-pro', [
        endpoint('google-vertex/us-east5', { upstreamModelId: 'gemini-2.5-pro' }),
        endpoint('google-vertex/europe-west1', { upstreamModelId: 'gemini-2.5-pro' }),
        endpoint('google', { upstreamModelId: 'gemini-2.5-pro' }),
      ]),
    ];
    const keys = new Set(['google-vertex/us-east5', 'google-vertex/europe-west1', 'google']);
    const only = planRoute({ model: 'google/gemini-2.5-pro', chat: chat('hi'), provider: { only: ['google-vertex'] } }, catalog, keys, { strategy: 'cheapest' }, { endpoints: new Map() });
    assert.deepEqual(only.targets.map((target) => target.provider), ['google-vertex/us-east5', 'google-vertex/europe-west1']);
    const pinned = planRoute({ model: 'google/gemini-2.5-pro', chat: chat('hi'), provider: { order: ['google-vertex/europe-west1'] } }, catalog, keys, { strategy: 'cheapest' }, { endpoints: new Map() });
    assert.equal(pinned.targets[0]?.provider, 'google-vertex/europe-west1');
  });

  it('require_parameters:true: only endpoints that support every parameter the request sets', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, chat: chat('hi', { temperature: 0.2 }), provider: { require_parameters: true } });
    assert.deepEqual(rejections(result), ['openai/gpt-5@openai:missing-parameter']);
    assert.match(result.rejected[0]?.detail ?? '', /does not support temperature/);
  });

  it('require_parameters:false: tools are a soft preference among a named model\'s endpoints, never a removal', () => {
    const tools = chat('hi', { tools: [{ name: 'read_file', inputSchema: { type: 'object' } }] });
    const metrics = snapshot({ 'groq/llama-3.3-70b-versatile': { ttftMs: percentiles(100), throughput: percentiles(500) } });
    const result = plan('meta/llama-3.3-70b', { providers: ['groq', 'deepinfra'], chat: tools, policy: { strategy: 'fastest' }, metrics });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@deepinfra', 'meta/llama-3.3-70b@groq']);
    assert.match(result.targets[1]?.why ?? '', /moved to the end: lacks tools \(soft preference/);
    assert.deepEqual(rejections(result).filter((entry) => !entry.endsWith(':no-key')), []);
    // A model the router picks itself must support the tools: hard for catalog-wide routes.
    const route = plan('perpetuo/cheapest', { providers: ['groq', 'deepinfra'], chat: tools });
    assert.deepEqual(rejections(route), ['meta/llama-3.3-70b@groq:missing-parameter']);
  });

  it("data_collection:'deny' keeps only endpoints known not to retain prompts", () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { data_collection: 'deny' } });
    assert.deepEqual(order(result), ['openai/gpt-5@azure']);
    assert.match(result.rejected[0]?.detail ?? '', /openai retains prompts/);
    const unknown = planRoute(
      { model: 'x/y', chat: chat('hi'), provider: { data_collection: 'deny' } },
      [model('x/y', [endpoint('p', { dataPolicy: {} }), endpoint('q', { dataPolicy: { retainsPrompts: false } })])],
      new Set(['p', 'q']),
      { strategy: 'cheapest' },
      { endpoints: new Map() },
    );
    assert.deepEqual(unknown.targets.map((target) => target.provider), ['q']);
    assert.match(unknown.rejected[0]?.detail ?? '', /unknown retention policy/);
  });

  it('zdr: provider.zdr turns ZDR on; it cannot turn the policy requirement off', () => {
    assert.deepEqual(order(plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { zdr: true } })), ['openai/gpt-5@azure']);
    const policyOn = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { zdr: false }, policy: { requireZdr: true } });
    assert.deepEqual(order(policyOn), ['openai/gpt-5@azure']);
    assert.match(policyOn.rejected[0]?.detail ?? '', /your policy \(requireZdr\) requires zero data retention/);
  });

  it('quantizations: an endpoint without one counts as unknown', () => {
    const result = plan('meta/llama-3.3-70b', { providers: ['groq', 'deepinfra'], provider: { quantizations: ['bf16'] } });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@deepinfra']);
    assert.deepEqual(rejections(result), ['meta/llama-3.3-70b@groq:quantization']);
    assert.equal(plan('openai/gpt-5-mini', { provider: { quantizations: ['unknown'] } }).targets.length, 1);
  });

  it("sort by price, partition 'model' (default) keeps the models[] order; 'none' sorts across models", () => {
    const byModel = plan('openai/gpt-5', { providers: GPT5_KEYS, models: ['openai/gpt-5-mini'], provider: { sort: 'price' }, policy: { strategy: 'quality' } });
    assert.deepEqual(order(byModel), ['openai/gpt-5@openai', 'openai/gpt-5@openrouter', 'openai/gpt-5@azure', 'openai/gpt-5-mini@openai']);
    assert.equal(byModel.sortBy, 'price');
    const global = plan('openai/gpt-5', { providers: GPT5_KEYS, models: ['openai/gpt-5-mini'], provider: { sort: { by: 'price', partition: 'none' } } });
    assert.equal(order(global)[0], 'openai/gpt-5-mini@openai');
  });

  it('sort by throughput and by latency use the metrics, unknown last', () => {
    const metrics = snapshot({
      'openai/gpt-5': { ttftMs: percentiles(900), throughput: percentiles(60) },
      'azure/gpt-5-deploy': { ttftMs: percentiles(400), throughput: percentiles(30) },
    });
    assert.deepEqual(order(plan('openai/gpt-5', { providers: GPT5_KEYS, metrics, provider: { sort: 'throughput' } })), ['openai/gpt-5@openai', 'openai/gpt-5@azure', 'openai/gpt-5@openrouter']);
    assert.deepEqual(order(plan('openai/gpt-5', { providers: GPT5_KEYS, metrics, provider: { sort: 'latency' } })), ['openai/gpt-5@azure', 'openai/gpt-5@openai', 'openai/gpt-5@openrouter']);
  });

  it('preferred_min_throughput is soft: slower endpoints move to the end, unmeasured ones stay', () => {
    const metrics = snapshot({ 'openai/gpt-5': { throughput: percentiles(30, 25, 20, 10) }, 'openrouter/openai/gpt-5': { throughput: percentiles(80) } });
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, metrics, provider: { preferred_min_throughput: 50 } });
    assert.deepEqual(order(result), ['openai/gpt-5@openrouter', 'openai/gpt-5@azure', 'openai/gpt-5@openai']);
    assert.match(result.targets[2]?.why ?? '', /throughput p50 30 tok\/s is below preferred_min_throughput 50/);
    const percentile = plan('openai/gpt-5', { providers: GPT5_KEYS, metrics: snapshot({ 'openai/gpt-5': { throughput: percentiles(60, 55, 20) } }), provider: { preferred_min_throughput: { p90: 50 } } });
    assert.equal(order(percentile).at(-1), 'openai/gpt-5@openai');
    assert.match(percentile.targets.at(-1)?.why ?? '', /p90 20 tok\/s/);
  });

  it('preferred_max_latency is soft and in seconds', () => {
    const metrics = snapshot({ 'openai/gpt-5': { ttftMs: percentiles(2_500) } });
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, metrics, provider: { preferred_max_latency: 1 } });
    assert.equal(order(result).at(-1), 'openai/gpt-5@openai');
    assert.match(result.targets.at(-1)?.why ?? '', /latency p50 2\.50 s is above preferred_max_latency 1 s/);
    assert.equal(result.targets.length, 3);
  });

  it('max_price is hard, in $/M tokens, and exact prices pass despite float error', () => {
    const result = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { max_price: { prompt: 1.25, completion: 10 } } });
    assert.deepEqual(order(result), ['openai/gpt-5@openai', 'openai/gpt-5@openrouter']);
    assert.deepEqual(rejections(result), ['openai/gpt-5@azure:max-price']);
    assert.match(result.rejected[0]?.detail ?? '', /prompt price \$1\.5\/M is above provider\.max_price\.prompt \$1\.25\/M/);
    const perRequest = plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { max_price: { request: 0 } } });
    assert.ok(rejections(perRequest).includes('openai/gpt-5@openrouter:max-price'));
    const none = expectError(() => plan('openai/gpt-5', { providers: GPT5_KEYS, provider: { max_price: { completion: 1 } } }));
    assert.equal(none.kind, 'no-eligible-model');
  });

  it('models[]: fallback models in order after the requested one, each with its own endpoints', () => {
    const result = plan('anthropic/claude-sonnet-4.5', { providers: ['anthropic', 'openai', 'google'], models: ['google/gemini-2.5-flash', 'openai/gpt-5-mini'] });
    assert.deepEqual(order(result), ['anthropic/claude-sonnet-4.5@anthropic', 'google/gemini-2.5-flash@google', 'openai/gpt-5-mini@openai']);
    assert.match(result.targets[1]?.why ?? '', /^models\[\] #1/);
  });
});
