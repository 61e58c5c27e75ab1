import assert from 'node:assert/strict';
import { expectError, order, plan } from './plan-for-test';

/**
 * Clients that speak a provider's API name models as that provider does: Claude Code sends
 * `claude-sonnet-4-5-20250929`, OpenAI clients `gpt-5-mini`. The planner reads those as the
 * catalog model they stand for, as if the canonical id had been asked for.
 */
describe('planRoute: a model named as its provider names it', () => {
  it("a dated Anthropic snapshot plans as the catalog's model, served by every endpoint of it", () => {
    const dated = plan('claude-sonnet-4-5-20250929');
    assert.equal(dated.kind, 'model');
    assert.deepEqual(order(dated), order(plan('anthropic/claude-sonnet-4.5')));
    assert.ok(order(dated).includes('anthropic/claude-sonnet-4.5@anthropic'));
    assert.equal(dated.requested, 'claude-sonnet-4-5-20250929');
  });

  it("a provider's own id (OpenAI's, Groq's, an Azure deployment's) plans as the model it serves", () => {
    assert.deepEqual(order(plan('gpt-5-mini')), ['openai/gpt-5-mini@openai']);
    assert.deepEqual(order(plan('llama-3.3-70b-versatile')), order(plan('meta/llama-3.3-70b')));
    assert.deepEqual(order(plan('gpt-5-deploy')), order(plan('openai/gpt-5')));
    assert.deepEqual(order(plan('CLAUDE-OPUS-4-1')), ['anthropic/claude-opus-4.1@anthropic']);
  });

  it('a variant applies to the model a provider name stands for', () => {
    const thinking = plan('claude-sonnet-4-5-20250929:thinking');
    assert.equal(thinking.variant, 'thinking');
    assert.deepEqual(order(thinking), order(plan('anthropic/claude-sonnet-4.5:thinking')));
  });

  it('in models[] too, and a name nothing answers to is still not-found with close matches', () => {
    assert.deepEqual(order(plan('openai/gpt-5', { models: ['claude-opus-4-1-20250805'], providers: ['openai', 'anthropic'] })), ['openai/gpt-5@openai', 'anthropic/claude-opus-4.1@anthropic']);
    const unknown = expectError(() => plan('claude-sonnet-9-20300101'));
    assert.equal(unknown.kind, 'not-found');
    assert.match(unknown.message, /^Unknown model 'claude-sonnet-9-20300101' in model\./);
  });
});
