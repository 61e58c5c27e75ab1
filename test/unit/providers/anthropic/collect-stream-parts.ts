import { join } from 'node:path';
import type { ChatStreamPart } from '../../../../src/core/spec/chat-stream-part';
import type { ProviderConfig } from '../../../../src/core/providers/provider-config';
import { readSseFixture, type SseItem } from '../../../support/fake-upstream';

/** A key shaped like a real one, planted to prove it never leaves the `x-api-key` header. */
export const PLANTED_KEY = 'sk-ant-api03-PLANTEDkey0123456789abcdefghijklmnopqrstuvwxyzABCD';

export function anthropicConfig(baseUrl: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { id: 'anthropic', kind: 'anthropic', baseUrl: `${baseUrl}/v1`, apiKey: PLANTED_KEY, ...extra };
}

export function anthropicFixture(name: string): SseItem[] {
  return readSseFixture(join(__dirname, '../../../fixtures/anthropic', `${name}.jsonl`));
}

export async function collectStreamParts(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const out: ChatStreamPart[] = [];
  for await (const part of parts) {
    out.push(part);
  }
  return out;
}

/** Parts with volatile fields (the error object, raw usage) reduced to what a test compares. */
export function summarize(parts: ChatStreamPart[]): unknown[] {
  return parts.map((part) => {
    switch (part.type) {
      case 'text-delta':
        return `text:${part.delta}`;
      case 'reasoning-delta':
        return part.signature === undefined ? `reasoning:${part.delta}` : `signature:${part.signature}`;
      case 'tool-call-start':
        return `tool-start:${part.toolCallId}:${part.toolName}`;
      case 'tool-call-delta':
        return `tool-delta:${part.argumentsDelta}`;
      case 'tool-call':
        return `tool-call:${part.toolName}:${part.input}`;
      case 'response-metadata':
        return `metadata:${part.id ?? ''}:${part.modelId ?? ''}`;
      case 'file':
        return `file:${part.mediaType}:${part.data.length}`;
      case 'provider-block':
        return `block:${JSON.stringify(part.block)}`;
      case 'citation':
        return `citation:${JSON.stringify(part.citation)}`;
      case 'finish':
        return `finish:${part.finishReason.unified}:${part.finishReason.raw ?? ''}`;
      case 'error':
        return `error:${part.error.kind}`;
      default: {
        const unreachable: never = part;
        return unreachable;
      }
    }
  });
}
