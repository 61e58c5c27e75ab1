import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { guardrailSchema } from '../../../src/core/guardrails/guardrail-schema';
import { guardrailSettingsSchema } from '../../../src/core/guardrails/map-settings-to-guardrails';

interface Manifest {
  contributes: {
    configuration: { properties: Record<string, Record<string, unknown>> };
    jsonValidation?: { fileMatch: string; url: string }[];
  };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

describe('guardrail settings in the manifest', () => {
  it('declares every perpetuo.guardrails.* setting the guardrails read, so the Settings UI and config.update can write it', () => {
    const missing = Object.keys(guardrailSettingsSchema.shape).filter((name) => settings[`perpetuo.guardrails.${name}`] === undefined);
    assert.deepEqual(missing, []);
  });

  it('describes each app guardrail with the same JSON Schema as the policy file', () => {
    const { $schema, ...expected } = z.toJSONSchema(guardrailSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
    assert.ok($schema);
    assert.deepEqual(settings['perpetuo.guardrails.apps']?.additionalProperties, expected);
  });

  it("validates .perpetuo/policy.json in the editor with the shipped schema", () => {
    const rule = manifest.contributes.jsonValidation?.find((entry) => entry.fileMatch === '.perpetuo/policy.json');
    assert.ok(rule, 'no jsonValidation entry for .perpetuo/policy.json');
    const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(shipped.includes(`!${rule.url.replace(/^\.\//, '')}`), `${rule.url} is left out of the .vsix by .vscodeignore`);
    assert.doesNotThrow(() => JSON.parse(readFileSync(join(root, rule.url), 'utf8')));
  });
});
