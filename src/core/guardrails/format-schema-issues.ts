import type { z } from 'zod';

/**
 * Turns zod issues into lines a user can act on: `<where>: <field.path>: <what is wrong>, got <value>`,
 * e.g. `.perpetuo/policy.json: guardrails.workspace.budget.amountUsd: expected a positive number of
 * US dollars, got "five"`. For a union the most specific branch's complaint is reported, not zod's
 * generic "Invalid input".
 */
export function formatSchemaIssues(where: string, issues: readonly z.core.$ZodIssue[], basePath: readonly PropertyKey[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    const field = formatPath(path);
    const prefix = field === '' ? `${where}: ` : `${where}: ${field}: `;
    if (issue.code === 'unrecognized_keys') {
      lines.push(`${prefix}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')} (check the spelling)`);
      continue;
    }
    const got = 'input' in issue && issue.input !== undefined ? `, got ${describeValue(issue.input)}` : issue.code === 'invalid_type' ? ', got nothing' : '';
    lines.push(`${prefix}${issue.message}${got}`);
  }
  return lines;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      const text = String(segment);
      out += out === '' ? text : /^[A-Za-z_$][\w$]*$/.test(text) ? `.${text}` : `["${text}"]`;
    }
  }
  return out;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
