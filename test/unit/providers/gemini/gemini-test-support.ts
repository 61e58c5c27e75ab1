/** Shared helpers of the Gemini adapter tests (not a test file itself). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { ChatStreamPart } from '../../../../src/core/spec/chat-stream-part';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { startFakeUpstream, type FakeReply, type FakeUpstream } from '../../../support/fake-upstream';

export const FIXTURES = join(__dirname, '../../../fixtures/gemini');

/** A key of the documented shape (AIza + 35 characters = 39), planted to prove it never leaks. */
export const PLANTED_KEY = 'AIzaSyD3adBeefC0ffee-0123456789_abcdefg';

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

function jsonLines(name: string): unknown[] {
  return readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('//'))
    .map((line) => JSON.parse(line) as unknown);
}

/** One recorded error answer of `error-responses.jsonl` as a fake-upstream reply. */
export function errorReply(name: string): FakeReply {
  const entry = (jsonLines('error-responses.jsonl') as Array<{ name: string; status: number; headers?: Record<string, string>; json: unknown }>).find(
    (e) => e.name === name,
  );
  if (!entry) {
    throw new Error(`no error fixture ${name}`);
  }
  return { status: entry.status, headers: entry.headers, json: entry.json };
}

export function modelPages(): unknown[] {
  return jsonLines('models-pages.jsonl');
}

export async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) {
    out.push(part);
  }
  return out;
}

/** An undici Agent that records every URL it is asked to fetch: what really goes on the wire. */
export function recordingAgent(): { agent: Agent; urls: string[] } {
  const urls: string[] = [];
  class RecordingAgent extends Agent {
    override dispatch(...args: Parameters<Agent['dispatch']>): boolean {
      const [options] = args;
      urls.push(`${String(options.origin ?? '')}${options.path}`);
      return super.dispatch(...args);
    }
  }
  return { agent: new RecordingAgent(), urls };
}

export function errorOf(part: ChatStreamPart | undefined) {
  return part?.type === 'error' ? part.error : undefined;
}

/** Everything a part could leak through: its JSON, and an error's message, stack and body. */
export function leakSurface(parts: ChatStreamPart[]): string {
  return parts
    .map((part) => {
      const error = errorOf(part);
      return JSON.stringify(part) + (error ? `${error.message}\n${error.stack ?? ''}\n${error.responseBody ?? ''}\n${String(error.cause ?? '')}` : '');
    })
    .join('\n');
}

/** A fake Gemini on 127.0.0.1, a URL-recording agent and a config pointing at it, fresh for every test. */
export interface GeminiTestContext {
  upstream: FakeUpstream;
  recorder: { agent: Agent; urls: string[] };
  config: ProviderConfig;
}

/** Registers the hooks that set up and tear down a {@link GeminiTestContext}; read it inside tests. */
export function useGeminiUpstream(): GeminiTestContext {
  const context = {} as GeminiTestContext;
  beforeEach(async () => {
    context.upstream = await startFakeUpstream();
    context.recorder = recordingAgent();
    context.config = { id: 'gemini', kind: 'gemini', baseUrl: `${context.upstream.url}/v1beta`, apiKey: PLANTED_KEY };
  });
  afterEach(async () => {
    await context.upstream.close();
    await context.recorder.agent.close();
  });
  return context;
}
