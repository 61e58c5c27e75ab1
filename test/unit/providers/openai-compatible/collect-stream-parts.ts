import { join } from 'node:path';
import type { PerpetuoError } from '../../../../src/core/errors/perpetuo-error';
import type { ChatStreamPart } from '../../../../src/core/spec/chat-stream-part';
import { readSseFixture, type SseItem } from '../../../support/fake-upstream';

/** Drains a model stream into an array (the parts a consumer would see, in order). */
export async function collectStreamParts(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) {
    out.push(part);
  }
  return out;
}

/** The SSE items of `test/fixtures/openai-compatible/<name>.jsonl`. */
export function openAIFixture(name: string): SseItem[] {
  return readSseFixture(join(__dirname, '../../../fixtures/openai-compatible', `${name}.jsonl`));
}

/** The text of all text deltas. */
export function textOf(parts: ChatStreamPart[]): string {
  return parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
}

/** The error of the last part, failing the test when the stream did not end in one. */
export function lastError(parts: ChatStreamPart[]): PerpetuoError {
  const last = parts.at(-1);
  if (last?.type !== 'error') {
    throw new Error(`expected the stream to end in an error, got ${JSON.stringify(parts.map((p) => p.type))}`);
  }
  return last.error;
}
