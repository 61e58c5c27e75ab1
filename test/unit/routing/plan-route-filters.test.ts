import assert from 'node:assert/strict';
import { chat, percentiles, snapshot } from './build-test-catalog';
import { expectError, order, plan, rejections } from './plan-for-test';

const LLAMA_KEYS = ['groq', 'deepinfra', 'openrouter', 'together', 'fireworks'];
const image = { type: 'image' as const, source: { kind: 'url' as const, url: 'https://example.com/a.png' }, mediaType: 'image/png' };
const audio = { type: 'audio' as const, source: { kind: 'base64' as const, data: 'AAAA' }, mediaType: 'audio/wav' };

describe('planRoute variants', () => {
  it('without a variant, free / flex / priority tier endpoints are not used', () => {
    const result = plan('meta/llama-3.3-70b', { providers: LLAMA_KEYS });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@deepinfra', 'meta/llama-3.3-70b@groq']);
    assert.deepEqual(rejections(result), [
      'meta/llama-3.3-70b@openrouter:service-tier',
      'meta/llama-3.3-70b@together:service-tier',
      'meta/llama-3.3-70b@fireworks:service-tier',
    ]);
  });

  it(':free keeps free endpoints only', () => {
    const result = plan('meta/llama-3.3-70b:free', { providers: LLAMA_KEYS });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@openrouter']);
    assert.equal(result.variant, 'free');
    assert.equal(result.targets[0]?.estimatedCostUsd, 0);
    assert.equal(rejections(result).filter((entry) => entry.endsWith(':not-free')).length, 4);
  });

  it(':floor sorts by price and admits the flex tier', () => {
    const result = plan('meta/llama-3.3-70b:floor', { providers: LLAMA_KEYS, policy: { strategy: 'fastest' } });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@together', 'meta/llama-3.3-70b@deepinfra', 'meta/llama-3.3-70b@groq']);
    assert.equal(result.sortBy, 'price');
  });

  it(':nitro sorts by throughput and admits the priority tier', () => {
    const metrics = snapshot({ 'fireworks/llama-priority': { throughput: percentiles(400) }, 'groq/llama-3.3-70b-versatile': { throughput: percentiles(300) } });
    const result = plan('meta/llama-3.3-70b:nitro', { providers: LLAMA_KEYS, metrics });
    assert.deepEqual(order(result), ['meta/llama-3.3-70b@fireworks', 'meta/llama-3.3-70b@groq', 'meta/llama-3.3-70b@deepinfra']);
    assert.equal(result.sortBy, 'throughput');
  });

  it(':thinking needs reasoning support', () => {
    const result = plan('openai/gpt-5:thinking', { providers: ['openai', 'azure'] });
    assert.deepEqual(order(result), ['openai/gpt-5@openai']);
    assert.deepEqual(rejections(result), ['openai/gpt-5@azure:missing-parameter']);
  });

  it('an unknown variant is a not-found error with the close match; :online says it is deprecated', () => {
    const error = expectError(() => plan('meta/llama-3.3-70b:nitr'));
    assert.equal(error.kind, 'not-found');
    assert.match(error.message, /Unknown variant ':nitr' of meta\/llama-3\.3-70b in model\. Did you mean nitro\?/);
    assert.match(expectError(() => plan('openai/gpt-5:online')).message, /deprecated upstream/);
  });
});

describe('planRoute capability filters', () => {
  it('image input needs an endpoint that accepts images', () => {
    const request = chat('', { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, image] }] });
    const result = plan('perpetuo/cheapest', { chat: request, providers: ['openai', 'google', 'anthropic'] });
    assert.ok(!order(result).includes('openai/gpt-5-mini@openai'));
    assert.ok(rejections(result).includes('openai/gpt-5-mini@openai:modality'));
    assert.match(result.rejected.find((entry) => entry.reason === 'modality')?.detail ?? '', /the request has image input; the endpoint accepts text/);
    // Estimated: an image counts 1,600 tokens.
    assert.ok(result.estimates.promptTokens > 1_600);
  });

  it('audio input leaves only the model that hears', () => {
    const request = chat('', { messages: [{ role: 'user', content: [{ type: 'text', text: 'Transcribe.' }, audio] }] });
    assert.deepEqual(order(plan('perpetuo/cheapest', { chat: request })), ['google/gemini-2.5-flash@google']);
  });

  it('tools and a JSON schema are hard filters on a catalog-wide route', () => {
    const request = chat('List the files.', { responseFormat: { type: 'json', schema: { type: 'object' } } });
    const result = plan('perpetuo/cheapest', { chat: request, providers: ['anthropic', 'google'] });
    assert.ok(rejections(result).includes('anthropic/claude-sonnet-4.5@anthropic:missing-parameter'));
    assert.match(result.rejected.find((entry) => entry.reason === 'missing-parameter')?.detail ?? '', /response_format \(json schema\)/);
    assert.equal(result.targets[0]?.modelId, 'google/gemini-2.5-flash');
  });

  it('context length: prompt plus max output must fit the window; long-context prices apply', () => {
    const long = chat('word '.repeat(200_000), { maxOutputTokens: 1_000 });
    const result = plan('anthropic/claude-sonnet-4.5', { chat: long });
    assert.deepEqual(order(result), ['anthropic/claude-sonnet-4.5@anthropic']);
    assert.deepEqual(rejections(result), ['anthropic/claude-sonnet-4.5@openrouter:context-length']);
    const needed = Math.round((result.estimates.promptTokens + 1_000) / 1000);
    assert.ok(result.estimates.promptTokens > 200_000, `prompt estimated at ${result.estimates.promptTokens}`);
    assert.match(result.rejected[0]?.detail ?? '', new RegExp(`needs ~${needed}k tokens \\(prompt \\+ max output\\), window is 200k`));
    // Above 200k prompt tokens the $6 / $22.5 per M override applies.
    const expected = result.estimates.promptTokens * 6e-6 + 1_000 * 22.5e-6;
    assert.ok(Math.abs((result.targets[0]?.estimatedCostUsd ?? 0) - expected) < 1e-9);
  });

  it("max output: the request's maxOutputTokens must be within the endpoint's limit", () => {
    const result = plan('perpetuo/cheapest', { chat: chat('hi', { maxOutputTokens: 32_000 }), providers: ['openai', 'anthropic'] });
    assert.deepEqual(order(result), ['anthropic/claude-sonnet-4.5@anthropic']);
    assert.ok(rejections(result).includes('openai/gpt-5@openai:max-output'));
  });
});

describe('planRoute policy filters', () => {
  it('an unpriced endpoint is rejected unless allowUnpriced; then its cost is null, never $0', () => {
    const unpriced = expectError(() => plan('local/qwen-coder'));
    assert.equal(unpriced.kind, 'no-eligible-model');
    assert.match(unpriced.message, /price unknown \(1\): local\/qwen-coder via ollama; e\.g\. ollama publishes no input price for qwen2\.5-coder:7b/);
    const allowed = plan('local/qwen-coder', { policy: { allowUnpriced: true } });
    assert.equal(allowed.targets[0]?.estimatedCostUsd, null);
    const capped = expectError(() => plan('local/qwen-coder', { policy: { allowUnpriced: true, maxCostPerRequestUsd: 1 } }));
    assert.match(capped.message, /price unknown, so your \$1\.00\/request cap cannot be checked/);
  });

  it('the per-request cost cap is hard', () => {
    const result = plan('perpetuo/quality', { policy: { maxCostPerRequestUsd: 0.02 }, providers: ['anthropic', 'openai'] });
    assert.ok(rejections(result).includes('anthropic/claude-opus-4.1@anthropic:cost-cap'));
    assert.equal(result.targets[0]?.modelId, 'openai/gpt-5');
  });

  it('denyModels matches endpoints as provider/upstreamId; allowModels rejects the rest of a named model', () => {
    const denied = plan('openai/gpt-5', { providers: ['openai', 'openrouter'], policy: { denyModels: ['openrouter/*'] } });
    assert.deepEqual(rejections(denied), ['openai/gpt-5@openrouter:model-denied']);
    const notAllowed = expectError(() => plan('openai/gpt-5', { policy: { allowModels: ['anthropic/*'] } }));
    assert.match(notAllowed.message, /model outside your allowModels \(3\)/);
  });

  it('allowModels scopes a catalog-wide route without a rejection per model', () => {
    const result = plan('perpetuo/cheapest', { policy: { allowModels: ['anthropic/*'] } });
    assert.deepEqual(result.scope, { models: 2, outOfScope: 5, note: 'allowModels [anthropic/*]' });
    assert.ok(result.targets.every((target) => target.modelId.startsWith('anthropic/')));
  });

  it('an endpoint whose circuit is open is rejected', () => {
    const result = plan('openai/gpt-5', { providers: ['openai', 'azure'], metrics: snapshot({}, ['openai/gpt-5']) });
    assert.deepEqual(order(result), ['openai/gpt-5@azure']);
    assert.deepEqual(rejections(result), ['openai/gpt-5@openai:circuit-open']);
  });
});
