import assert from 'node:assert/strict';
import { parseProviderPreferences } from '../../../src/core/routing/provider-preferences';
import { parseRoutingPolicy } from '../../../src/core/routing/routing-policy';
import { expectError, plan } from './plan-for-test';

describe('planRoute bad input', () => {
  it('an unknown model is not-found (a request names it); the error names it and lists close matches, also by the part after the slash', () => {
    const error = expectError(() => plan('anthropic/claude-sonet-4.5'));
    assert.equal(error.kind, 'not-found');
    assert.match(error.message, /^Unknown model 'anthropic\/claude-sonet-4\.5' in model\. Did you mean anthropic\/claude-sonnet-4\.5/);
    assert.match(expectError(() => plan('gpt-5-mimi')).message, /Did you mean openai\/gpt-5-mini/);
  });

  it('an unknown model in models[] names its position', () => {
    assert.match(expectError(() => plan('openai/gpt-5', { models: ['google/gemini-2.5-flsh'] })).message, /'google\/gemini-2\.5-flsh' in models\[0\]\. Did you mean google\/gemini-2\.5-flash/);
    assert.match(expectError(() => plan('openai/gpt-5', { models: ['perpetuo/auto'] })).message, /models\[0\] is 'perpetuo\/auto', a route/);
  });

  it('an unknown route or strategy lists the routes', () => {
    const error = expectError(() => plan('perpetuo/cheapst'));
    assert.equal(error.kind, 'not-found');
    assert.match(error.message, /Unknown route 'perpetuo\/cheapst' in model\. Did you mean perpetuo\/cheapest\?/);
  });

  it('an unknown provider in order / only / ignore / allowProviders is named with close matches: in the request it is invalid-request, in a setting config', () => {
    const error = expectError(() => plan('openai/gpt-5', { provider: { order: ['opnai'] } }));
    assert.equal(error.kind, 'invalid-request');
    assert.match(error.message, /Unknown provider 'opnai' in provider\.order\. Did you mean openai\?/);
    const setting = expectError(() => plan('openai/gpt-5', { policy: { allowProviders: ['antropic'] } }));
    assert.equal(setting.kind, 'config');
    assert.match(setting.message, /in allowProviders\. Did you mean anthropic\?/);
  });

  it('a misspelt provider{} field or a bad value is an invalid-request error naming it', () => {
    const misspelt = expectError(() => parseProviderPreferences({ sorts: 'price' }));
    assert.equal(misspelt.kind, 'invalid-request');
    assert.match(misspelt.message, /Unknown field provider\.sorts \(did you mean provider\.sort\?\)/);
    assert.match(expectError(() => parseProviderPreferences({ sort: 'cheap' })).message, /Invalid provider\.sort/);
    assert.match(expectError(() => parseProviderPreferences({ max_price: { prompt: -1 } })).message, /provider\.max_price\.prompt/);
    assert.deepEqual(parseProviderPreferences({ sort: { by: 'latency', partition: 'none' }, preferred_min_throughput: { p90: 20 } }), {
      sort: { by: 'latency', partition: 'none' },
      preferred_min_throughput: { p90: 20 },
    });
  });

  it('a bad routing policy names the field', () => {
    assert.match(expectError(() => parseRoutingPolicy({ strategy: 'cheap' })).message, /routing policy: strategy/);
    assert.match(expectError(() => parseRoutingPolicy({ strategy: 'cheapest', maxFallbacks: -1 })).message, /maxFallbacks/);
  });

  it('no eligible model: the message groups what excluded each candidate, most frequent first, with a hint', () => {
    const error = expectError(() =>
      plan('openai/gpt-5', { providers: ['openai', 'openrouter'], models: ['openai/gpt-5-mini'], provider: { zdr: true } }),
    );
    assert.equal(error.kind, 'no-eligible-model');
    const lines = error.message.split('\n');
    assert.equal(lines[0], "No endpoint can serve 'openai/gpt-5':");
    assert.match(lines[1] ?? '', /^ {2}- not zero-data-retention \(3\): openai\/gpt-5 via openai, openai\/gpt-5 via openrouter, openai\/gpt-5-mini via openai; e\.g\. provider\.zdr requires/);
    assert.match(lines[2] ?? '', /^ {2}- no API key \(1\): openai\/gpt-5 via azure/);
  });

  it('a catalog-wide route that nothing is in scope for says which globs matched nothing', () => {
    const error = expectError(() => plan('perpetuo/auto', { policy: { autoCandidates: ['mistral/*'] } }));
    assert.match(error.message, /no catalog model is in scope: autoCandidates \[mistral\/\*\] match none of them/);
  });
});
