import type { PerpetuoError } from '../errors/perpetuo-error';
import type { FinishReason } from './finish-reason';
import type { Usage } from './usage';

/**
 * One part of a model's streamed answer. A well-formed stream is: optional `response-metadata`,
 * any number of content parts, then exactly one `finish` — or an `error` at any point, after
 * which nothing follows. Consumers switch exhaustively over `type`.
 */
export type ChatStreamPart =
  | ResponseMetadataPart
  | TextDeltaPart
  | ReasoningDeltaPart
  | ToolCallStartPart
  | ToolCallDeltaPart
  | ToolCallEndPart
  | GeneratedFilePart
  | FinishPart
  | ErrorPart;

/** What the provider says served the request (OpenRouter names the model and provider it picked). */
export interface ResponseMetadataPart {
  type: 'response-metadata';
  id?: string;
  modelId?: string;
  /** Upstream provider named by an aggregator (OpenRouter's `provider` field). */
  upstreamProvider?: string;
}

export interface TextDeltaPart {
  type: 'text-delta';
  delta: string;
}

export interface ReasoningDeltaPart {
  type: 'reasoning-delta';
  delta: string;
  /** Anthropic's thinking signature, when the block closes. */
  signature?: string;
  /**
   * An Anthropic `redacted_thinking` block, whole (its encrypted `data`; `delta` is empty): a
   * block of its own, which must go back to Anthropic unchanged with the turn.
   */
  redacted?: string;
}

export interface ToolCallStartPart {
  type: 'tool-call-start';
  toolCallId: string;
  toolName: string;
}

export interface ToolCallDeltaPart {
  type: 'tool-call-delta';
  toolCallId: string;
  argumentsDelta: string;
}

/** The complete call: arguments as the full JSON text the model produced. */
export interface ToolCallEndPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** JSON text of the arguments (`{}` when the model sent none). */
  input: string;
}

/**
 * A file the model produced, whole: today an image from an image-generation model (OpenRouter
 * returns each as a `data:` URL in `delta.images[]`). Bytes are base64, as they came.
 * @see https://openrouter.ai/docs/features/multimodal/image-generation
 */
export interface GeneratedFilePart {
  type: 'file';
  /** e.g. `image/png`. */
  mediaType: string;
  /** The file's bytes, base64. */
  data: string;
}

export interface FinishPart {
  type: 'finish';
  finishReason: FinishReason;
  usage: Usage;
  /** Cost the provider itself reported for this call, in USD (OpenRouter `usage.cost`, plus the upstream bill with BYOK). */
  reportedCostUsd?: number;
}

export interface ErrorPart {
  type: 'error';
  error: PerpetuoError;
}

/** Parts that carry model output: the commit point for fallbacks is the first of these. */
export function isContentPart(part: ChatStreamPart): boolean {
  return (
    part.type === 'text-delta' ||
    part.type === 'reasoning-delta' ||
    part.type === 'tool-call-start' ||
    part.type === 'tool-call-delta' ||
    part.type === 'tool-call' ||
    part.type === 'file'
  );
}
