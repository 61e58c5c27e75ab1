import { readFile } from 'node:fs/promises';
import { PerpetuoError } from '../errors';
import { formatSchemaIssues } from './format-schema-issues';
import { type PolicyFile, policyFileSchema } from './guardrail-schema';

/** Where the team policy lives, relative to the workspace root. */
export const POLICY_FILE_RELATIVE_PATH = '.perpetuo/policy.json';

/** The outcome of reading the policy file: absent is not an error, malformed is. */
export type PolicyFileResult =
  | { status: 'absent' }
  | { status: 'ok'; policy: PolicyFile }
  | { status: 'invalid'; error: PerpetuoError; problems: string[] };

/**
 * Reads and validates `.perpetuo/policy.json`. `displayPath` is how the file is named in messages
 * (the workspace-relative path, so a message is the same on every teammate's machine).
 */
export async function loadPolicyFile(
  absolutePath: string,
  displayPath: string = POLICY_FILE_RELATIVE_PATH,
  read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
): Promise<PolicyFileResult> {
  let text: string;
  try {
    text = await read(absolutePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { status: 'absent' };
    }
    return invalid([`${displayPath}: cannot be read (${(error as Error).message})`]);
  }
  return parsePolicyText(text, displayPath);
}

/** Validates policy text already in memory (an unsaved editor buffer, a test). */
export function parsePolicyText(text: string, displayPath: string = POLICY_FILE_RELATIVE_PATH): PolicyFileResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return invalid([`${displayPath}: is not valid JSON (${(error as Error).message})`]);
  }
  const parsed = policyFileSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    return invalid(formatSchemaIssues(displayPath, parsed.error.issues));
  }
  return { status: 'ok', policy: parsed.data };
}

function invalid(problems: string[]): PolicyFileResult {
  const message =
    problems.length === 1
      ? `${problems[0]}. Fix the file; until then its guardrails are not applied and requests from this workspace are refused.`
      : `${problems.length} problems in the policy file:\n${problems.join('\n')}\nFix the file; until then its guardrails are not applied and requests from this workspace are refused.`;
  return { status: 'invalid', error: new PerpetuoError({ kind: 'config', message }), problems };
}
