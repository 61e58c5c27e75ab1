import assert from 'node:assert/strict';
import { mapGuardrailToRoutingPolicy } from '../../../src/core/guardrails/map-guardrail-to-routing-policy';
import { mergeGuardrails } from '../../../src/core/guardrails/merge-guardrails';
import { analysePrompt } from '../../../src/core/routing/analyse-prompt';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import { endpointKey } from '../../../src/core/routing/metrics-snapshot';
import { planRoute } from '../../../src/core/routing/plan-route';
import type { RoutingPolicy } from '../../../src/core/routing/routing-policy';
import { buildSyntheticCatalog, seeded } from '../../support/build-synthetic-catalog';
import { chat } from './build-test-catalog';
import { order, plan, rejections } from './plan-for-test';
import { ALL_PROVIDERS, CATALOG } from './test-catalog';

/**
 * A glob list that counts how often something walks it with `map`, as compiling it does
 * (compile-globs.ts). Reading its content for a cache key (item by item) does not count.
 */
function countedGlobs(globs: string[], walks: { count: number }): string[] {
  return new Proxy(globs, {
    get(target, property, receiver) {
      if (property === 'map') {
        walks.count++;
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** A policy built the way the engine builds one per request: the user's policy overlaid with the guardrail, copied. */
function enginePolicy(allowModels: string[]): RoutingPolicy {
  const guardrail = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 's', guardrail: { denyModels: ['*-preview'] } }], {});
  return mapGuardrailToRoutingPolicy(guardrail, { strategy: 'cheapest', allowModels, allowUnpriced: true });
}

const hello = chat('Say hello.');

describe('planRoute caches', () => {
  it('scopes the catalog once for policies of the same content, though each request brings a new policy object', () => {
    const walks = { count: 0 };
    const first = planRoute({ model: 'perpetuo/cheapest', chat: hello }, CATALOG, ALL_PROVIDERS, enginePolicy(countedGlobs(['anthropic/*', 'openai/gpt-5*'], walks)), { endpoints: new Map() });
    assert.ok(walks.count > 0, 'the first plan compiles the allowModels globs');
    const compiled = walks.count;
    for (let request = 0; request < 3; request++) {
      const again = planRoute({ model: 'perpetuo/cheapest', chat: hello }, CATALOG, ALL_PROVIDERS, enginePolicy(countedGlobs(['anthropic/*', 'openai/gpt-5*'], walks)), { endpoints: new Map() });
      assert.deepEqual(again, first);
    }
    assert.equal(walks.count, compiled, 'equal glob lists in new arrays reuse the scope and the compiled globs');
  });

  it('never reuses the scope of other globs: a different allowModels, one edited in place, another mode', () => {
    const anthropic = plan('perpetuo/cheapest', { policy: { allowModels: ['anthropic/*'] } });
    const openai = plan('perpetuo/cheapest', { policy: { allowModels: ['openai/*'] } });
    assert.equal(anthropic.scope?.note, 'allowModels [anthropic/*]');
    assert.equal(openai.scope?.note, 'allowModels [openai/*]');
    assert.ok(order(openai).every((target) => target.startsWith('openai/')));
    assert.notDeepEqual(openai.scope, anthropic.scope);

    const policy: RoutingPolicy = { strategy: 'cheapest', allowModels: ['anthropic/*'] };
    const run = (model: string): ReturnType<typeof planRoute> => planRoute({ model, chat: hello }, CATALOG, ALL_PROVIDERS, policy, { endpoints: new Map() });
    assert.deepEqual(run('perpetuo/cheapest').scope, anthropic.scope);
    policy.allowModels?.splice(0, 1, 'openai/*');
    assert.deepEqual(run('perpetuo/cheapest').scope, openai.scope, 'the same policy object, edited: scoped again');
    policy.denyModels = ['openai/gpt-5'];
    assert.ok(!order(run('perpetuo/cheapest')).some((target) => target.startsWith('openai/gpt-5@')), 'a denyModels added later applies');
    policy.autoCandidates = ['openai/gpt-5-mini'];
    const auto = run('perpetuo/auto');
    assert.deepEqual(new Set(order(auto).map((target) => target.split('@')[0])), new Set(['openai/gpt-5-mini']), 'auto scopes by its own candidates too');
    assert.equal(auto.scope?.note, 'allowModels [openai/*], denyModels [openai/gpt-5], autoCandidates [openai/gpt-5-mini]');
    assert.equal(run('perpetuo/cheapest').scope?.note, 'allowModels [openai/*], denyModels [openai/gpt-5]', 'and a route without them does not');
  });

  it('compiles a named model\'s globs by content: a list edited in place takes effect', () => {
    const policy: RoutingPolicy = { strategy: 'cheapest', denyModels: ['openrouter/*'] };
    const run = (): ReturnType<typeof planRoute> => planRoute({ model: 'openai/gpt-5', chat: hello }, CATALOG, new Set(['openai', 'openrouter']), policy, { endpoints: new Map() });
    assert.deepEqual(rejections(run()), ['openai/gpt-5@openrouter:model-denied']);
    policy.denyModels?.splice(0, 1, 'nobody/*');
    assert.deepEqual(rejections(run()), []);
  });
});

describe('live figures across snapshots', () => {
  it('plans as a fresh computation would after every call and every move of the window', () => {
    let now = 50 * 60_000;
    const live = new LiveMetrics({ clock: () => now });
    const keys = CATALOG.flatMap((model) => model.endpoints.map((endpoint) => endpointKey(endpoint.provider, endpoint.upstreamModelId)));
    let state = 7;
    const random = (): number => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    for (let step = 0; step < 300; step++) {
      const roll = random();
      if (roll < 0.6) {
        const ttftMs = 50 + random() * 3_000;
        live.record(keys[Math.floor(random() * keys.length)] ?? '', { at: now, ok: random() < 0.8, ttftMs, durationMs: ttftMs + random() * 10_000, outputTokens: 300 });
      } else if (roll < 0.95) {
        now += Math.floor(random() * 40_000);
      } else {
        now += 30 * 60_000;
      }
      const snapshot = live.snapshot();
      for (const model of ['perpetuo/fastest', 'perpetuo/reliable']) {
        const request = { model, chat: hello };
        const policy: RoutingPolicy = { strategy: 'cheapest', allowUnpriced: true };
        // A copy of the catalog array is indexed anew, so its figures are computed from scratch.
        assert.deepEqual(planRoute(request, CATALOG, ALL_PROVIDERS, policy, snapshot), planRoute(request, [...CATALOG], ALL_PROVIDERS, policy, snapshot), `step ${step}, ${model}`);
      }
    }
  });
});

describe('live figures updated in place', () => {
  it('plans under an older snapshot, or another map, as under a fresh computation', () => {
    let now = 50 * 60_000;
    const live = new LiveMetrics({ clock: () => now });
    const keys = CATALOG.flatMap((model) => model.endpoints.map((endpoint) => endpointKey(endpoint.provider, endpoint.upstreamModelId)));
    const snapshots = [live.snapshot()];
    for (let call = 0; call < 40; call++) {
      const key = keys[(call * 7) % keys.length] ?? '';
      live.record(key, { at: now, ok: call % 5 !== 0, ttftMs: 100 + call * 97, durationMs: 5_000 + call * 311, outputTokens: 300 });
      now += 1_000;
      snapshots.push(live.snapshot());
    }
    // Not only the LiveMetrics versions: a plain map of the same entries, then an empty one.
    snapshots.push({ endpoints: new Map(live.snapshot().endpoints) }, { endpoints: new Map() });
    // Newest to oldest and back, and jumps: the figures kept for the catalog must follow each time.
    const visits = [...snapshots.keys()].reverse().concat([3, 40, 0, 41, 20, 42, 21]);
    for (const at of visits) {
      const snapshot = snapshots[at] ?? { endpoints: new Map() };
      for (const model of ['perpetuo/fastest', 'perpetuo/balanced']) {
        const request = { model, chat: hello };
        const policy: RoutingPolicy = { strategy: 'cheapest', allowUnpriced: true };
        assert.deepEqual(planRoute(request, CATALOG, ALL_PROVIDERS, policy, snapshot), planRoute(request, [...CATALOG], ALL_PROVIDERS, policy, snapshot), `snapshot ${at}, ${model}`);
      }
    }
  });
});

describe('speed order after a call', () => {
  it('finds an endpoint that a call just made the fastest, wherever it was in the speed order', () => {
    // Big enough for most of each provider's rows to be left unread by the speed bound: a stale order would hide the endpoint.
    const catalog = buildSyntheticCatalog(seeded(7));
    const providers = new Set(catalog.flatMap((model) => model.endpoints.map((endpoint) => endpoint.provider)));
    let now = 50 * 60_000;
    const live = new LiveMetrics({ clock: () => now });
    const request = { model: 'perpetuo/fastest', chat: hello };
    const policy: RoutingPolicy = { strategy: 'balanced' };
    for (let call = 0; call < 30; call++) {
      const model = catalog[(call * 37) % catalog.length];
      const endpoint = model?.endpoints[call % 4];
      if (endpoint === undefined) continue;
      // Each faster than the last by more than a histogram bin (10%).
      const ttftMs = 200 * 0.8 ** call;
      for (let sample = 0; sample < 5; sample++) {
        live.record(endpointKey(endpoint.provider, endpoint.upstreamModelId), { at: now, ok: true, ttftMs, durationMs: ttftMs + 20, outputTokens: 10_000 });
      }
      now += 1_000;
      const planned = planRoute(request, catalog, providers, policy, live.snapshot());
      assert.deepEqual(planned, planRoute(request, [...catalog], providers, policy, live.snapshot()), `call ${call}`);
      assert.equal(`${planned.targets[0]?.provider}/${planned.targets[0]?.upstreamModelId}`, `${endpoint.provider}/${endpoint.upstreamModelId}`, `call ${call}`);
    }
  });
});

describe('analysePrompt reuse', () => {
  it('reads an ask again the same way, and still weighs what is not in the ask', () => {
    const ask = 'Refactor this function and explain why: ```ts\nconst x = () => {};\n```';
    const plain = analysePrompt(chat(ask), 100);
    const again = analysePrompt(chat(ask), 100);
    assert.deepEqual(again, plain);
    assert.notEqual(again.signals, plain.signals, 'each analysis owns its signals');
    const withTools = analysePrompt(chat(ask, { tools: [{ name: 'read', description: 'r', inputSchema: { type: 'object' } }] }), 100);
    assert.ok(withTools.signals.includes('tools') && !plain.signals.includes('tools'));
    const longer = analysePrompt(chat(ask), 9_000);
    assert.ok(longer.signals.includes('long prompt'));
    const other = analysePrompt(chat('Write a haiku about autumn.'), 100);
    assert.equal(other.taskType, 'creative');
    assert.equal(analysePrompt(chat(ask), 100).taskType, 'code');
  });
});
