import assert from 'node:assert/strict';
import { describeZdrExclusion, isZdrEndpoint } from '../../../src/core/guardrails/describe-zdr-exclusion';
import { mapGuardrailToRoutingPolicy } from '../../../src/core/guardrails/map-guardrail-to-routing-policy';
import { mapSettingsToGuardrails } from '../../../src/core/guardrails/map-settings-to-guardrails';
import { intersectModelGlobs, matchModelGlob } from '../../../src/core/guardrails/match-model-glob';
import { buildScopeKeys, mergeGuardrails } from '../../../src/core/guardrails/merge-guardrails';
import { parsePolicyText } from '../../../src/core/guardrails/load-policy-file';
import { resolveEffectiveGuardrail } from '../../../src/core/guardrails/resolve-effective-guardrail';
import { type PerpetuoError } from '../../../src/core/errors';

describe('guardrail merge', () => {
  it('keeps every scope\'s budget, the smaller of two for the same scope and period', () => {
    const merged = mergeGuardrails(
      [
        { scope: 'global', scopeKey: 'global', origin: 'settings', guardrail: { budget: { amountUsd: 20, period: 'daily' } } },
        { scope: 'workspace', scopeKey: 'workspace:w', origin: 'settings (Workspace)', guardrail: { budget: { amountUsd: 8, period: 'daily', nearLimit: 'downgrade-cheaper' } } },
        { scope: 'workspace', scopeKey: 'workspace:w', origin: 'policy', guardrail: { budgets: [{ amountUsd: 5, period: 'daily', warnAtPercent: 90 }, { amountUsd: 40, period: 'monthly' }] } },
        { scope: 'app', scopeKey: 'app:aider', origin: 'settings', guardrail: { budget: { amountUsd: 1, period: { rollingHours: 5 } } } },
      ],
      { workspaceId: 'w', appName: 'aider' },
    );
    assert.deepEqual(merged.scopeKeys, ['global', 'workspace:w', 'app:aider']);
    assert.deepEqual(
      merged.budgets.map((b) => [b.id, b.amountNanos, b.origin, b.warnAtPercent, b.nearLimit]),
      [
        ['global|daily', 20e9, 'settings', 80, 'warn'],
        ['workspace:w|daily', 5e9, 'policy', 80, 'downgrade-cheaper'],
        ['workspace:w|monthly', 40e9, 'policy', 80, 'warn'],
        ['app:aider|rolling-5h', 1e9, 'settings', 80, 'warn'],
      ],
    );
  });

  it('takes the strictest of every other control', () => {
    const merged = mergeGuardrails(
      [
        { scope: 'global', scopeKey: 'global', origin: 's', guardrail: { allowModels: ['anthropic/*', 'openai/*'], allowProviders: ['Anthropic', 'openai', 'openrouter'], maxCostPerRequestUsd: 1, denyModels: ['*preview*'], allowUnpriced: true } },
        { scope: 'workspace', scopeKey: 'workspace:w', origin: 'p', guardrail: { allowModels: ['anthropic/claude-*', 'google/*'], allowProviders: ['anthropic', 'openrouter'], maxCostPerRequestUsd: 0.25, denyModels: ['*:free'], requireZdr: true } },
      ],
      { workspaceId: 'w' },
    );
    assert.deepEqual(merged.allowModels, ['anthropic/claude-*']);
    assert.deepEqual(merged.allowProviders, ['anthropic', 'openrouter']);
    assert.deepEqual(merged.denyModels, ['*preview*', '*:free']);
    assert.equal(merged.maxCostPerRequestUsd, 0.25);
    assert.equal(merged.requireZdr, true);
    assert.equal(merged.allowUnpriced, true);
    const forbidden = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 's', guardrail: { allowUnpriced: true } }, { scope: 'workspace', scopeKey: 'workspace:w', origin: 'p', guardrail: { allowUnpriced: false } }], { workspaceId: 'w' });
    assert.equal(forbidden.allowUnpriced, false);
    assert.equal(mergeGuardrails([], {}).allowUnpriced, false, 'unpriced models are off unless someone turns them on');
  });

  it('matches globs case-insensitively and intersects them without ever widening', () => {
    assert.ok(matchModelGlob('*:free', 'meta-llama/llama-3.3-70b-instruct:free'));
    assert.ok(matchModelGlob('Anthropic/*', 'anthropic/claude-sonnet-4.5'));
    assert.ok(!matchModelGlob('anthropic/*', 'openai/gpt-5'));
    assert.ok(matchModelGlob('openai/gpt-5?', 'openai/gpt-5o') && !matchModelGlob('openai/gpt-5?', 'openai/gpt-5'));
    assert.deepEqual(intersectModelGlobs(['*'], ['openai/gpt-5']), ['openai/gpt-5']);
    assert.deepEqual(intersectModelGlobs(['ab?'], ['ab*']), ['ab?']);
    assert.deepEqual(intersectModelGlobs(['ab*'], ['ab?']), ['ab?'], 'ab? is inside ab*, not the other way round');
    assert.deepEqual(intersectModelGlobs(['*/gpt-*'], ['openai/*']), [], 'overlapping globs with no glob intersection fail closed');
  });

  it('maps onto the router\'s policy fields without loosening what the policy already says', () => {
    const guardrail = mergeGuardrails([{ scope: 'global', scopeKey: 'global', origin: 's', guardrail: { allowModels: ['anthropic/*'], allowProviders: ['anthropic'], maxCostPerRequestUsd: 0.5, requireZdr: true, denyModels: ['*-preview'] } }], {});
    const policy = mapGuardrailToRoutingPolicy(guardrail, { strategy: 'balanced', allowModels: ['anthropic/claude-haiku-*', 'openai/*'], maxCostPerRequestUsd: 0.2, denyModels: ['x/y'], maxFallbacks: 2 });
    assert.deepEqual(policy, {
      strategy: 'balanced',
      maxFallbacks: 2,
      allowModels: ['anthropic/claude-haiku-*'],
      denyModels: ['x/y', '*-preview'],
      allowProviders: ['anthropic'],
      requireZdr: true,
      maxCostPerRequestUsd: 0.2,
      allowUnpriced: false,
    });
  });

  it('maps VS Code settings, naming the setting that is wrong', () => {
    const mapped = mapSettingsToGuardrails({ dailyBudgetUsd: 5, monthlyBudgetUsd: null, rollingBudget: { amountUsd: 2, hours: 5 }, nearLimit: 'downgrade-free', allowModels: [], requireZdr: true, apps: { aider: { budget: { amountUsd: 1, period: 'daily' } } } });
    assert.deepEqual(mapped.guardrail, {
      budgets: [
        { amountUsd: 5, period: 'daily', nearLimit: 'downgrade-free' },
        { amountUsd: 2, period: { rollingHours: 5 }, nearLimit: 'downgrade-free' },
      ],
      allowModels: [],
      requireZdr: true,
    });
    assert.deepEqual(Object.keys(mapped.apps), ['aider']);
    assert.throws(
      () => mapSettingsToGuardrails({ dailyBudgetUsd: 'ten' }),
      (error: PerpetuoError) => error.kind === 'config' && error.message.startsWith('User settings: perpetuo.guardrails.dailyBudgetUsd: expected a positive number of US dollars, or null for no limit, got "ten"'),
    );
  });

  it('fails closed on an invalid team policy file', () => {
    const invalid = parsePolicyText('{"guardrails":{"workspace":{"requireZdr":"yes"}}}');
    assert.throws(() => resolveEffectiveGuardrail({ policyFile: invalid }, { workspaceId: 'w' }), (error: PerpetuoError) => error.kind === 'config' && /requireZdr/.test(error.message));
    const ok = parsePolicyText('{"guardrails":{"workspace":{"requireZdr":true,"budget":{"amountUsd":3,"period":"weekly"}},"apps":{"aider":{"maxCostPerRequestUsd":0.1}}}}');
    const effective = resolveEffectiveGuardrail({ policyFile: ok, userSettings: mapSettingsToGuardrails({ dailyBudgetUsd: 10 }) }, { workspaceId: 'w', appName: 'aider' });
    assert.equal(effective.requireZdr, true);
    assert.equal(effective.maxCostPerRequestUsd, 0.1);
    assert.deepEqual(effective.budgets.map((b) => [b.id, b.origin]), [
      ['global|daily', 'Settings › Perpetuo › Guardrails'],
      ['workspace:w|weekly', '.perpetuo/policy.json (guardrails.workspace)'],
    ]);
    assert.deepEqual(buildScopeKeys({ appName: 'aider' }), ['global', 'app:aider']);
  });

  it('says that ZDR excluded the endpoints, and why each', () => {
    assert.equal(isZdrEndpoint({ dataPolicy: {} }), false, 'unknown is not ZDR');
    assert.equal(isZdrEndpoint({ dataPolicy: { zdr: true } }), true);
    const error = describeZdrExclusion('anthropic/claude-sonnet-4.5', [
      { modelId: 'anthropic/claude-sonnet-4.5', endpoint: { provider: 'anthropic', dataPolicy: { zdr: false, source: 'https://privacy.anthropic.com (2026-01)' } } },
      { modelId: 'anthropic/claude-sonnet-4.5', endpoint: { provider: 'google-vertex', dataPolicy: {} } },
    ]);
    assert.equal(error.kind, 'policy');
    assert.match(error.message, /^Require ZDR excluded every endpoint that could serve anthropic\/claude-sonnet-4\.5: /);
    assert.match(error.message, /anthropic \(not zero-data-retention per https:\/\/privacy\.anthropic\.com \(2026-01\)\)/);
    assert.match(error.message, /google-vertex \(retention policy unknown\)/);
  });
});
