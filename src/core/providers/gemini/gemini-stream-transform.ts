import { PerpetuoError } from '../../errors/perpetuo-error';
import type { EventStreamTransform } from '../../http/run-event-stream-call';
import type { ChatStreamPart } from '../../spec/chat-stream-part';
import { convertGeminiUsage } from './convert-gemini-usage';
import type { GeminiStreamChunk, GeminiUsageMetadata } from './gemini-api';
import { mapGeminiError } from './gemini-error';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';
import { tagGeminiThoughtSignature } from './tag-gemini-thought-signature';

/** What one stream's transform needs to know about its call. */
export interface GeminiStreamContext {
  provider: string;
  modelId: string;
  /** Prefix of the ids made for function calls Gemini sent without one (`<prefix>-1`, `-2`, …); unique per stream. */
  toolCallIdPrefix: string;
}

/**
 * The per-request state of one `streamGenerateContent?alt=sse` stream. Each SSE chunk is a whole
 * GenerateContentResponse, and this reads `candidates[0]` of each:
 * - `text` parts → `text-delta`, or `reasoning-delta` when `thought: true` (thought summaries);
 * - `inlineData` parts (image models) → a `file` part with the image whole, base64;
 * - `functionCall` parts arrive whole, never in pieces → `tool-call-start` then `tool-call` with
 *   the arguments as JSON text; the call's `id` is used when Gemini sends one, else one is made;
 * - a `thoughtSignature` on any part → an empty `reasoning-delta` carrying it (tagged as Gemini's)
 *   just before that part's output, so it can be sent back on the same part next turn;
 * - `modelVersion` / `responseId` → one `response-metadata`, from the first chunk that has them;
 * - `usageMetadata` is a running total: the latest replaces the previous, never summed;
 * - `finishReason` is remembered, and the `finish` part is emitted only when the stream ends, so
 *   that it carries the final usage. With no finish reason the runner reports the cut stream.
 * Errors: a chunk that fails its schema, `promptFeedback.blockReason` (the prompt was blocked:
 * `content-filter`), and an `error` object inside the 200 stream each end the stream with one
 * `error` part. A candidate stopped by a filter (`SAFETY`, `RECITATION`, …) is a normal finish
 * with reason `content-filter`, since it may follow streamed text and carries usage to bill.
 * @see https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 * @see https://ai.google.dev/gemini-api/docs/thinking
 * @see https://ai.google.dev/gemini-api/docs/image-generation
 */
export function createGeminiStreamTransform(context: GeminiStreamContext): EventStreamTransform<GeminiStreamChunk> {
  let usage: GeminiUsageMetadata | undefined;
  let finishReason: string | undefined;
  let hasToolCalls = false;
  let metadataSent = false;
  let madeIds = 0;
  const errorContext = { provider: context.provider, modelId: context.modelId };

  return {
    onEvent(event) {
      if (event.type === 'done') {
        return []; // Gemini sends no [DONE]; tolerated if a proxy adds one
      }
      if (event.type === 'invalid') {
        return [{ type: 'error', error: event.error }];
      }
      const chunk = event.value;
      if (chunk.error) {
        return [{ type: 'error', error: mapGeminiError(chunk.error, { responseBody: event.raw }, errorContext) }];
      }
      const parts: ChatStreamPart[] = [];
      if (!metadataSent && (chunk.modelVersion !== undefined || chunk.responseId !== undefined)) {
        metadataSent = true;
        parts.push({ type: 'response-metadata', id: chunk.responseId, modelId: chunk.modelVersion });
      }
      if (chunk.usageMetadata) {
        usage = chunk.usageMetadata;
      }
      const blockReason = chunk.promptFeedback?.blockReason;
      if (blockReason !== undefined) {
        const detail = chunk.promptFeedback?.blockReasonMessage;
        parts.push({
          type: 'error',
          error: new PerpetuoError({
            kind: 'content-filter',
            ...errorContext,
            providerCode: blockReason,
            isRetryable: false,
            responseBody: event.raw,
            message: `Gemini blocked the prompt (${blockReason})${detail ? `: ${detail}` : ''}.`,
          }),
        });
        return parts;
      }
      const candidate = chunk.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (part.thoughtSignature !== undefined) {
          parts.push({ type: 'reasoning-delta', delta: '', signature: tagGeminiThoughtSignature(part.thoughtSignature) });
        }
        if (part.functionCall) {
          const toolCallId = part.functionCall.id ?? `${context.toolCallIdPrefix}-${++madeIds}`;
          const toolName = part.functionCall.name;
          hasToolCalls = true;
          parts.push({ type: 'tool-call-start', toolCallId, toolName });
          parts.push({ type: 'tool-call', toolCallId, toolName, input: JSON.stringify(part.functionCall.args ?? {}) });
        } else if (part.inlineData !== undefined) {
          // A generated image. Thinking image models also send draft images marked `thought`:
          // those are the model's working, not its answer.
          if (!part.thought) {
            parts.push({ type: 'file', mediaType: part.inlineData.mimeType, data: part.inlineData.data });
          }
        } else if (part.text !== undefined && part.text !== '') {
          parts.push(part.thought ? { type: 'reasoning-delta', delta: part.text } : { type: 'text-delta', delta: part.text });
        }
        // Other part kinds (executableCode, codeExecutionResult) come only from features a
        // request must opt into through providerOptions; they have no stream part yet.
      }
      if (candidate?.finishReason !== undefined) {
        finishReason = candidate.finishReason;
      }
      return parts;
    },
    onEnd() {
      if (finishReason === undefined) {
        return [];
      }
      return [{ type: 'finish', finishReason: mapGeminiFinishReason(finishReason, hasToolCalls), usage: convertGeminiUsage(usage) }];
    },
  };
}
