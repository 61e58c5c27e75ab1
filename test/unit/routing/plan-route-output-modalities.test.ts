import assert from 'node:assert/strict';
import { planRoute } from '../../../src/core/routing/plan-route';
import { chat, endpoint, model, policy } from './build-test-catalog';

const catalog = [
  model('openai/gpt-5-mini', [endpoint('openrouter', { upstreamModelId: 'openai/gpt-5-mini' })]),
  model('google/gemini-2.5-flash-image', [endpoint('openrouter', { upstreamModelId: 'google/gemini-2.5-flash-image', outputModalities: ['image', 'text'] })]),
  model('black-forest-labs/flux-pro', [endpoint('openrouter', { upstreamModelId: 'black-forest-labs/flux-pro', outputModalities: ['image'] })]),
];
const route = (outputModalities?: Array<'text' | 'image'>) =>
  planRoute({ model: 'perpetuo/cheapest', chat: chat('A lighthouse at dusk', outputModalities ? { outputModalities } : {}) }, catalog, new Set(['openrouter']), policy({ allowUnpriced: true }), { endpoints: new Map() });

describe('planRoute output modalities', () => {
  it('an image request keeps only endpoints that produce images, and says why the others went', () => {
    const plan = route(['image']);
    assert.deepEqual(plan.targets.map((t) => t.modelId).sort(), ['black-forest-labs/flux-pro', 'google/gemini-2.5-flash-image']);
    const rejected = plan.rejected.find((r) => r.modelId === 'openai/gpt-5-mini');
    assert.equal(rejected?.reason, 'output-modality');
    assert.match(rejected?.detail ?? '', /asks for image output; the endpoint produces text/);
  });

  it('image and text together rule out an image-only model', () => {
    assert.deepEqual(route(['image', 'text']).targets.map((t) => t.modelId), ['google/gemini-2.5-flash-image']);
  });

  it('a text request never goes to a model that only draws', () => {
    const plan = route();
    assert.ok(!plan.targets.some((t) => t.modelId === 'black-forest-labs/flux-pro'));
    assert.equal(plan.rejected.find((r) => r.modelId === 'black-forest-labs/flux-pro')?.reason, 'output-modality');
  });
});
