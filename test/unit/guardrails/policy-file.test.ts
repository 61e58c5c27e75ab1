import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPolicyJsonSchema } from '../../../src/core/guardrails/build-policy-json-schema';
import { loadPolicyFile, parsePolicyText } from '../../../src/core/guardrails/load-policy-file';

describe('.perpetuo/policy.json', () => {
  it('accepts a full policy', () => {
    const result = parsePolicyText(
      JSON.stringify({
        $schema: './policy.schema.json',
        version: 1,
        guardrails: {
          workspace: {
            budget: { amountUsd: 5, period: 'daily', warnAtPercent: 75, nearLimit: 'downgrade-free' },
            budgets: [{ amountUsd: 50, period: { rollingHours: 168 } }],
            allowModels: ['anthropic/*', '*:free'],
            denyModels: ['*preview*'],
            allowProviders: ['anthropic', 'openrouter'],
            requireZdr: true,
            maxCostPerRequestUsd: 0.5,
          },
          apps: { aider: { budget: { amountUsd: 1, period: 'weekly' } } },
        },
      }),
    );
    assert.equal(result.status, 'ok');
  });

  const cases: Array<[string, unknown, string]> = [
    ['a string budget', { guardrails: { workspace: { budget: { amountUsd: 'five', period: 'daily' } } } }, '.perpetuo/policy.json: guardrails.workspace.budget.amountUsd: expected a positive number of US dollars, got "five"'],
    ['a negative cap', { guardrails: { workspace: { maxCostPerRequestUsd: -1 } } }, '.perpetuo/policy.json: guardrails.workspace.maxCostPerRequestUsd: expected a positive number of US dollars, got -1'],
    ['an unknown period', { guardrails: { workspace: { budget: { amountUsd: 5, period: 'yearly' } } } }, '.perpetuo/policy.json: guardrails.workspace.budget.period: expected "daily", "weekly", "monthly" or { "rollingHours": N }, got "yearly"'],
    ['a misspelt field', { guardrails: { workspace: { budjet: {} } } }, '.perpetuo/policy.json: guardrails.workspace: unknown field "budjet" (check the spelling)'],
    ['a missing amount', { guardrails: { apps: { aider: { budget: { period: 'daily' } } } } }, '.perpetuo/policy.json: guardrails.apps.aider.budget.amountUsd: expected a positive number of US dollars, got nothing'],
    ['a non-list allowlist', { guardrails: { workspace: { allowModels: 'anthropic/*' } } }, '.perpetuo/policy.json: guardrails.workspace.allowModels: expected a list of model ids or globs, e.g. ["anthropic/*", "*:free"], got "anthropic/*"'],
  ];
  for (const [name, policy, expected] of cases) {
    it(`names the file, the field and the value for ${name}`, () => {
      const result = parsePolicyText(JSON.stringify(policy));
      assert.equal(result.status, 'invalid');
      if (result.status === 'invalid') {
        assert.deepEqual(result.problems, [expected]);
        assert.equal(result.error.kind, 'config');
        assert.ok(result.error.message.startsWith(expected));
      }
    });
  }

  it('reports broken JSON and a missing file differently', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perpetuo-policy-'));
    try {
      assert.deepEqual(await loadPolicyFile(join(directory, 'policy.json')), { status: 'absent' });
      writeFileSync(join(directory, 'policy.json'), '{ "guardrails": ');
      const result = await loadPolicyFile(join(directory, 'policy.json'));
      assert.equal(result.status, 'invalid');
      assert.match(result.status === 'invalid' ? (result.problems[0] ?? '') : '', /^\.perpetuo\/policy\.json: is not valid JSON/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('ships a JSON Schema for editors that matches the zod schema', () => {
    const file = join(__dirname, '..', '..', '..', 'src', 'core', 'guardrails', 'policy.schema.json');
    const expected = `${JSON.stringify(buildPolicyJsonSchema(), null, 2)}\n`;
    assert.equal(
      readFileSync(file, 'utf8'),
      expected,
      'policy.schema.json is stale: run node --import tsx -e "import(\'./src/core/guardrails/build-policy-json-schema.ts\').then((m) => (m.writePolicyJsonSchema ?? m.default.writePolicyJsonSchema)())"',
    );
  });
});
