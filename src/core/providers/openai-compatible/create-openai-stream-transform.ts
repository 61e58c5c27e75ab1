import { randomUUID } from 'node:crypto';
import { parseDataUrl } from '../../attachments/parse-data-url';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { JsonEvent } from '../../http/create-json-event-parser';
import type { EventStreamTransform } from '../../http/run-event-stream-call';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import { convertOpenAIUsage } from './convert-openai-usage';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';
import type { OpenAIChunk, OpenAIUsage } from './openai-api';
import { mapOpenAIStreamError } from './openai-error';

export interface OpenAIStreamTransformOptions {
  provider: string;
  modelId: string;
  /** False for xAI, which reports reasoning tokens on top of `completion_tokens`. */
  reasoningTokensInCompletion: boolean;
  /** Id for a tool call the server sent without one (some local servers do). */
  generateId?: () => string;
}

interface PendingToolCall {
  id: string | undefined;
  name: string | undefined;
  /** Argument text received so far. */
  args: string;
  started: boolean;
}

/**
 * The state machine of one Chat Completions stream; a fresh one per request, so concurrent
 * streams on one model instance share nothing.
 *
 * Usage is read from every chunk that carries it — the usage-only chunk after the finish reason
 * (OpenAI with `include_usage`), the finish chunk itself (Together, Mistral; LiteLLM #36168 lost
 * exactly these), Groq's `x_groq.usage` — so the `finish` part is held back until `[DONE]` or the
 * end of the body, when the last usage is known. Tool calls are assembled by `index` and closed
 * at the finish reason; a stream that ends without one is left for `runEventStreamCall` to report.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 * @see https://openrouter.ai/docs/api/reference/streaming
 */
export function createOpenAIStreamTransform(options: OpenAIStreamTransformOptions): EventStreamTransform<OpenAIChunk> {
  const context = { provider: options.provider, modelId: options.modelId };
  const generateId = options.generateId ?? (() => `call_${randomUUID()}`);
  const toolCalls = new Map<number, PendingToolCall>();
  let metadataSent = false;
  let finishRaw: string | undefined;
  let usage: OpenAIUsage | undefined;
  let finished = false;

  function onChunk(chunk: OpenAIChunk, raw: string): ChatStreamPart[] {
    const parts: ChatStreamPart[] = [];
    if (!metadataSent && (chunk.id || chunk.model)) {
      metadataSent = true;
      parts.push({
        type: 'response-metadata',
        ...(chunk.id ? { id: chunk.id } : {}),
        ...(chunk.model ? { modelId: chunk.model } : {}),
        ...(chunk.provider ? { upstreamProvider: chunk.provider } : {}),
      });
    }
    const chunkUsage = chunk.usage ?? chunk.x_groq?.usage;
    if (chunkUsage) {
      usage = chunkUsage;
    }
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    const error = chunk.error ?? choice?.error;
    if (error) {
      parts.push({ type: 'error', error: mapOpenAIStreamError(error, raw, context) });
      return parts;
    }
    if (!choice) {
      return parts;
    }
    const delta = choice.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning) {
      parts.push({ type: 'reasoning-delta', delta: reasoning });
    }
    if (delta?.content) {
      parts.push({ type: 'text-delta', delta: delta.content });
    }
    for (const image of delta?.images ?? []) {
      const parsed = parseDataUrl(image.image_url.url);
      if (parsed === undefined) {
        // A link instead of bytes (no server we know sends one): say so rather than drop the picture.
        parts.push({ type: 'error', error: new PerpetuoError({ kind: 'malformed-response', ...context, message: `${options.provider} returned an image that is not a data: URL.`, responseBody: raw }) });
        return parts;
      }
      parts.push({ type: 'file', mediaType: parsed.mediaType, data: parsed.base64 });
    }
    for (const [position, call] of (delta?.tool_calls ?? []).entries()) {
      const index = call.index ?? position;
      let pending = toolCalls.get(index);
      if (!pending) {
        pending = { id: undefined, name: undefined, args: '', started: false };
        toolCalls.set(index, pending);
      }
      pending.id ??= call.id ?? undefined;
      pending.name ??= call.function?.name ?? undefined;
      const argsPiece = call.function?.arguments ?? '';
      pending.args += argsPiece;
      if (!pending.started && pending.name) {
        parts.push(...startToolCall(pending));
      } else if (pending.started && argsPiece) {
        parts.push({ type: 'tool-call-delta', toolCallId: pending.id ?? '', argumentsDelta: argsPiece });
      }
    }
    if (choice.finish_reason) {
      finishRaw = choice.finish_reason;
      if (finishRaw === 'error') {
        parts.push({ type: 'error', error: new PerpetuoError({ kind: 'server', ...context, message: `${options.provider} ended the answer with finish_reason "error" and no details.`, responseBody: raw }) });
        return parts;
      }
      parts.push(...closeToolCalls());
    }
    return parts;
  }

  function startToolCall(pending: PendingToolCall): ChatStreamPart[] {
    pending.started = true;
    pending.id ??= generateId();
    const parts: ChatStreamPart[] = [{ type: 'tool-call-start', toolCallId: pending.id, toolName: pending.name ?? '' }];
    if (pending.args) {
      parts.push({ type: 'tool-call-delta', toolCallId: pending.id, argumentsDelta: pending.args });
    }
    return parts;
  }

  function closeToolCalls(): ChatStreamPart[] {
    const parts: ChatStreamPart[] = [];
    for (const index of [...toolCalls.keys()].sort((a, b) => a - b)) {
      const pending = toolCalls.get(index);
      if (!pending) {
        continue;
      }
      if (!pending.name) {
        return [
          ...parts,
          { type: 'error', error: new PerpetuoError({ kind: 'malformed-response', ...context, message: `${options.provider} sent a tool call with no function name.` }) },
        ];
      }
      if (!pending.started) {
        parts.push(...startToolCall(pending));
      }
      parts.push({ type: 'tool-call', toolCallId: pending.id ?? '', toolName: pending.name, input: pending.args.trim() === '' ? '{}' : pending.args });
    }
    toolCalls.clear();
    return parts;
  }

  function finish(): ChatStreamPart[] {
    if (finished || finishRaw === undefined) {
      // No finish reason: the answer may be cut short, and runEventStreamCall reports it as such.
      return [];
    }
    finished = true;
    const cost = totalReportedCost(usage);
    return [
      {
        type: 'finish',
        finishReason: mapOpenAIFinishReason(finishRaw),
        usage: convertOpenAIUsage(usage, { reasoningTokensInCompletion: options.reasoningTokensInCompletion }),
        ...(cost === undefined ? {} : { reportedCostUsd: cost }),
      },
    ];
  }

  return {
    onEvent(event: JsonEvent<OpenAIChunk>): ChatStreamPart[] {
      if (finished) {
        return [];
      }
      switch (event.type) {
        case 'invalid':
          return [{ type: 'error', error: event.error }];
        case 'done':
          return finish();
        case 'data':
          return onChunk(event.value, event.raw);
      }
    },
    onEnd: finish,
  };
}

/**
 * What the call cost the user, as the provider reported it: OpenRouter's `cost`, plus, with BYOK,
 * the upstream provider's bill to the user's own key (`cost_details.upstream_inference_cost`), so
 * the ledger matches the sum of both invoices.
 * @see https://openrouter.ai/docs/use-cases/usage-accounting
 */
function totalReportedCost(usage: OpenAIUsage | null | undefined): number | undefined {
  const cost = usage?.cost ?? undefined;
  const upstream = usage?.cost_details?.upstream_inference_cost ?? undefined;
  if (cost === undefined) {
    return upstream;
  }
  return upstream === undefined ? cost : cost + upstream;
}
