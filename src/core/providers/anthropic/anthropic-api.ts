import { z } from 'zod';
import type { ProviderBlock } from '../../spec/chat-request';

/*
 * Wire shapes of the Anthropic Messages API. Responses are validated with zod, loosely: Anthropic
 * adds fields and event types under its versioning policy, and an unknown field must never turn a
 * good stream into an error. Request shapes are plain types: we produce them.
 */

/** The version header every call carries. @see https://platform.claude.com/docs/en/api/versioning */
export const ANTHROPIC_VERSION = '2023-06-01';

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';

// ---------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------

export type AnthropicMediaSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type: 'text/plain'; data: string };

/** A prompt-cache breakpoint on a block, a tool or a system block. @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export type AnthropicContentBlock =
  | { type: 'text'; text: string; cache_control?: AnthropicCacheControl; citations?: ProviderBlock[] }
  | { type: 'image'; source: AnthropicMediaSource; cache_control?: AnthropicCacheControl }
  | { type: 'document'; source: AnthropicMediaSource; cache_control?: AnthropicCacheControl }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; cache_control?: AnthropicCacheControl }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean; cache_control?: AnthropicCacheControl }
  // `server_tool_use`, `web_search_tool_result`, …: sent back exactly as Anthropic sent them.
  | AnthropicServerBlock;

/** A block of Anthropic's server tools, kept whole. */
export interface AnthropicServerBlock extends ProviderBlock {
  type: `server_tool_use` | `${string}_tool_result`;
}

/** True for the blocks Anthropic's server tools produce (`server_tool_use`, `web_search_tool_result`, `web_fetch_tool_result`, …). */
export function isAnthropicServerBlock(block: ProviderBlock): block is AnthropicServerBlock {
  return block.type === 'server_tool_use' || (block.type.endsWith('_tool_result') && block.type !== 'tool_result');
}

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  cache_control?: AnthropicCacheControl;
}

export type AnthropicToolChoice = { type: 'auto' } | { type: 'any' } | { type: 'none' } | { type: 'tool'; name: string };

export type AnthropicThinking = { type: 'enabled'; budget_tokens: number } | { type: 'adaptive' };

export interface AnthropicOutputConfig {
  effort?: 'low' | 'medium' | 'high';
  format?: { type: 'json_schema'; schema: Record<string, unknown> };
}

/** The body of `POST /v1/messages`. @see https://platform.claude.com/docs/en/api/messages/create */
export interface AnthropicMessagesBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string | Array<{ type: 'text'; text: string; cache_control?: AnthropicCacheControl }>;
  /** Ours, and Anthropic's own (`web_search_20250305`, `text_editor_20250728`, …) as the client declared them. */
  tools?: Array<AnthropicTool | ProviderBlock>;
  tool_choice?: AnthropicToolChoice;
  temperature?: number;
  top_p?: number;
  stop_sequences?: string[];
  thinking?: AnthropicThinking;
  output_config?: AnthropicOutputConfig;
  stream: true;
  [extra: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Stream events
// ---------------------------------------------------------------------------------------------

const count = z.number().int().nonnegative().nullish();

/**
 * Usage as `message_start` and `message_delta` carry it. The counts in `message_delta` are
 * cumulative, and newer API versions repeat the input and cache counts there too.
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming#event-types
 */
export const anthropicUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  /** `cache_creation_input_tokens` split by lifetime. */
  cache_creation: z.looseObject({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count }).nullish(),
  /** What Anthropic's server tools did, billed apart from tokens (web search per search). */
  server_tool_use: z.looseObject({ web_search_requests: count }).nullish(),
});

export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

export const anthropicErrorObjectSchema = z.looseObject({
  type: z.string(),
  message: z.string().optional(),
  details: z.looseObject({ error_code: z.string().optional() }).nullish(),
});

const KNOWN_DELTAS = new Set(['text_delta', 'input_json_delta', 'thinking_delta', 'signature_delta', 'citations_delta']);

const blockDeltaSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
    z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
    z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
    z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
    z.looseObject({ type: z.literal('citations_delta'), citation: z.looseObject({ type: z.string() }) }),
  ]),
  // Whatever comes next: accepted and ignored, while a malformed known delta
  // still fails its schema above instead of slipping through here.
  z
    .looseObject({ type: z.string().refine((type) => !KNOWN_DELTAS.has(type)) })
    .transform((delta) => ({ type: 'other_delta' as const, deltaType: delta.type })),
]);

const KNOWN_EVENTS = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
]);

/**
 * One server-sent event of a streamed Message.
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
export const anthropicStreamEventSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('message_start'),
      message: z.looseObject({
        id: z.string().nullish(),
        model: z.string().nullish(),
        usage: anthropicUsageSchema.nullish(),
      }),
    }),
    z.looseObject({
      type: z.literal('content_block_start'),
      index: z.number().int(),
      content_block: z.looseObject({
        type: z.string(),
        id: z.string().optional(),
        name: z.string().optional(),
        text: z.string().optional(),
        input: z.unknown().optional(),
        /** A `redacted_thinking` block's encrypted reasoning, whole at the start. */
        data: z.string().optional(),
      }),
    }),
    z.looseObject({ type: z.literal('content_block_delta'), index: z.number().int(), delta: blockDeltaSchema }),
    z.looseObject({ type: z.literal('content_block_stop'), index: z.number().int() }),
    z.looseObject({
      type: z.literal('message_delta'),
      delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
      usage: anthropicUsageSchema.nullish(),
    }),
    z.looseObject({ type: z.literal('message_stop') }),
    z.looseObject({ type: z.literal('ping') }),
    z.looseObject({ type: z.literal('error'), error: anthropicErrorObjectSchema }),
  ]),
  // "We may add new event types, and your code should handle unknown event types gracefully."
  z
    .looseObject({ type: z.string().refine((type) => !KNOWN_EVENTS.has(type)) })
    .transform((event) => ({ type: 'other_event' as const, eventType: event.type })),
]);

export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>;

// ---------------------------------------------------------------------------------------------
// Errors and models
// ---------------------------------------------------------------------------------------------

/** `{"type":"error","error":{"type":…,"message":…},"request_id":…}`. @see https://platform.claude.com/docs/en/api/errors */
export const anthropicErrorBodySchema = z.looseObject({
  error: anthropicErrorObjectSchema,
  request_id: z.string().nullish(),
});

const supported = z.looseObject({ supported: z.boolean() }).nullish();

/** One page of `GET /v1/models`. @see https://platform.claude.com/docs/en/api/models/list */
export const anthropicModelsPageSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      display_name: z.string().nullish(),
      max_input_tokens: z.number().int().positive().nullish(),
      max_tokens: z.number().int().positive().nullish(),
      capabilities: z.looseObject({ image_input: supported, pdf_input: supported }).nullish(),
    }),
  ),
  has_more: z.boolean(),
  first_id: z.string().nullish(),
  last_id: z.string().nullish(),
});

export type AnthropicModelsPage = z.infer<typeof anthropicModelsPageSchema>;
