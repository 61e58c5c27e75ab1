import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { policyFileSchema } from './guardrail-schema';

/**
 * The JSON Schema of `.perpetuo/policy.json`, generated from the zod schema so that the editor's
 * validation and ours cannot disagree. A unit test fails when the committed file is stale.
 */
export function buildPolicyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policyFileSchema, { target: 'draft-7', io: 'input' }),
    $id: 'https://perpetuo.dev/schemas/policy.schema.json',
    title: 'Perpetuo team policy (.perpetuo/policy.json)',
  };
}

/** Regenerates `src/core/guardrails/policy.schema.json` (run from the repository root). */
export function writePolicyJsonSchema(root: string = process.cwd()): void {
  writeFileSync(join(root, 'src', 'core', 'guardrails', 'policy.schema.json'), `${JSON.stringify(buildPolicyJsonSchema(), null, 2)}\n`);
}
