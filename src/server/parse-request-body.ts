import type { z } from 'zod';
import { EndpointRejection } from './endpoint-rejection';

/** A body that passed its schema, and the top-level fields the schema does not know. */
export interface ParsedBody<T> {
  data: T;
  unknownFields: string[];
}

/** `messages[0].content` from zod's path array. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    text += typeof key === 'number' ? `[${key}]` : text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? 'body' : text;
}

/**
 * The issue to report: for a union (`content` is a string or an array of blocks), the complaint
 * of the branch that got furthest into the value, at its full path, rather than zod's
 * "Invalid input" about the whole union.
 */
function mostSpecific(issue: z.core.$ZodIssue): { path: readonly PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union') {
    return issue;
  }
  let best: { path: readonly PropertyKey[]; message: string } | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const candidate = mostSpecific(inner);
      if (best === undefined || candidate.path.length > best.path.length) best = candidate;
    }
  }
  return best === undefined ? issue : { path: [...issue.path, ...best.path], message: best.message };
}

/**
 * Validates a request body: strict where safety is (a known field of the wrong type is a 400
 * naming that field), lenient where clients are (fields we do not know pass through and are
 * reported to the caller, who logs them once; they never cause a 400).
 */
export function parseRequestBody<T>(schema: z.ZodType<T>, knownFields: readonly string[], body: unknown): ParsedBody<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EndpointRejection({ status: 400, errorType: 'invalid_request', message: 'The request body must be a JSON object.', param: 'body' });
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const first = result.error.issues[0];
    const issue = first === undefined ? undefined : mostSpecific(first);
    const param = issue === undefined ? 'body' : formatPath(issue.path);
    const detail = issue === undefined ? 'invalid' : issue.message;
    throw new EndpointRejection({ status: 400, errorType: 'invalid_request', message: `Invalid field '${param}': ${detail}`, param });
  }
  const known = new Set(knownFields);
  return { data: result.data, unknownFields: Object.keys(body).filter((key) => !known.has(key)) };
}
