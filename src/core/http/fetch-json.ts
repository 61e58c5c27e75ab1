import type { z } from 'zod';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { HttpOptions } from './http-options';
import { sendHttpRequest, type HttpRequestSpec } from './send-http-request';

/**
 * GET (or POST) a JSON document and validate it: model listings, key checks, catalog refresh.
 * Rejects with a PerpetuoError naming the provider and the first field that failed.
 */
export async function fetchJson<T>(
  spec: HttpRequestSpec & { schema: z.ZodType<T> },
  signal: AbortSignal,
  options: HttpOptions = {},
): Promise<T> {
  const response = await sendHttpRequest(spec, signal, options);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body) {
    text += decoder.decode(chunk, { stream: true });
  }
  text += decoder.decode();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PerpetuoError({
      kind: 'malformed-response',
      provider: spec.provider,
      message: `${spec.provider} answered ${new URL(spec.url).pathname} with something that is not JSON.`,
      responseBody: text,
    });
  }
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PerpetuoError({
      kind: 'malformed-response',
      provider: spec.provider,
      message: `${spec.provider} answered ${new URL(spec.url).pathname} in an unexpected shape: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`,
      responseBody: text,
    });
  }
  return parsed.data;
}
