import type { ChatModel } from '../../../../src/core/spec/chat-model';
import type { ChatStreamPart } from '../../../../src/core/spec/chat-stream-part';
import type { Usage } from '../../../../src/core/spec/usage';

/** Builds a usage record with plain input/output counts. */
export function plainUsage(input: number, output: number): Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}

/**
 * A ChatModel that replays parts, yielding to the event loop between them so concurrent streams
 * interleave the way real network streams do.
 */
export function createFakeChatModel(parts: ChatStreamPart[] | (() => ChatStreamPart[]), provider = 'openai', modelId = 'gpt-test'): ChatModel & { calls: number } {
  const model = {
    provider,
    modelId,
    calls: 0,
    async *stream(_request: unknown, signal: AbortSignal): AsyncIterable<ChatStreamPart> {
      model.calls += 1;
      for (const part of typeof parts === 'function' ? parts() : parts) {
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) {
          return;
        }
        yield part;
      }
    },
  };
  return model;
}

/** Drains a stream into an array of parts. */
export async function collect(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) {
    parts.push(part);
  }
  return parts;
}
