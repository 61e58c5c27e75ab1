import type { PerpetuoError } from '../errors/perpetuo-error';
import type { ProviderApi, ProviderBlock } from './chat-request';
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
  | ProviderBlockStreamPart
  | CitationPart
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
  /**
   * The provider's content block the text belongs to, where the blocks carry meaning: in an
   * Anthropic answer that cites sources, each cited stretch is a block of its own, apart from the
   * uncited text around it. Encoders that write blocks start a new one when it changes. Absent
   * otherwise.
   */
  blockIndex?: number;
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

/**
 * A whole content block only its API understands (Anthropic's `server_tool_use` and
 * `web_search_tool_result`), for the caller to keep and send back unchanged; see
 * `ProviderBlockPart`. Encoders of other APIs leave it out.
 */
export interface ProviderBlockStreamPart {
  type: 'provider-block';
  api: ProviderApi;
  block: ProviderBlock;
}

/**
 * A source the text of one block cites (Anthropic's `citations_delta`, which comes before the
 * block's text): it belongs to the text parts with the same `blockIndex`.
 */
export interface CitationPart {
  type: 'citation';
  citation: ProviderBlock;
  blockIndex: number;
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
    part.type === 'file' ||
    part.type === 'provider-block' ||
    part.type === 'citation'
  );
}
