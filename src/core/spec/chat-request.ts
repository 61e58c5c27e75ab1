/**
 * Our one request shape. Adapters convert it to each provider's wire format; nothing above
 * `src/core/providers` ever sees a provider's shape.
 */
export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stop?: string[];
  seed?: number;
  reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /**
   * What the answer must contain: `['image']` (or `['image', 'text']`) asks an image-generation
   * model for pictures, which arrive as `file` stream parts. Undefined means text. The router
   * admits only endpoints whose catalog `outputModalities` hold every one of them.
   * @see https://openrouter.ai/docs/features/multimodal/image-generation
   */
  outputModalities?: Array<'text' | 'image'>;
  /**
   * How generated images should look, for requests whose `outputModalities` hold `image`. Each
   * adapter sends what its API takes (OpenRouter `image_config.aspect_ratio`, Gemini
   * `imageConfig.aspectRatio`, OpenAI Images `size` and `quality`) and leaves the rest out.
   */
  imageOptions?: ImageOptions;
  /**
   * Provider-specific fields passed through explicitly, keyed by provider kind
   * (`openrouter`, `openai`, `anthropic`, `gemini`, …). For example
   * `{ openrouter: { models: [...], provider: { sort: 'price' }, route: 'fallback', transforms: [] } }`.
   * The adapter of that kind merges them into the body as they are; other adapters ignore them.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Tools an API defines itself, declared as that API takes them: Anthropic's server tools (web
   * search, which Anthropic runs during the call and bills per search) and its built-in client
   * tools (text editor, bash), whose schemas it knows. Only that API can take them, so only
   * targets that speak it serve the request; the others are passed over, with the reason, in the
   * decision log.
   */
  providerTools?: ProviderTool[];
}

/** The APIs whose own tools and content blocks a request can carry. */
export type ProviderApi = 'anthropic';

/** A tool defined by an API, not by the caller (see `ChatRequest.providerTools`). */
export interface ProviderTool {
  api: ProviderApi;
  /** The definition exactly as the client sent it: `{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }`. */
  definition: ProviderBlock;
}

/** An object of a provider's own wire format, kept as it came and sent back unchanged. */
export interface ProviderBlock {
  type: string;
  [field: string]: unknown;
}

/** The look of generated images; every field optional, each provider's default otherwise. */
export interface ImageOptions {
  /** Width:height such as `1:1`, `16:9`, `3:2`. */
  aspectRatio?: string;
  /** Pixel size such as `1024x1536` (OpenAI Images), or `auto`. */
  size?: string;
  /** `low`, `medium`, `high` or `auto` (OpenAI Images; OpenRouter passes it to providers that take it). */
  quality?: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/**
 * A prompt-cache breakpoint, as the client set it (Anthropic's `cache_control`, also what
 * OpenRouter takes on content parts): the prompt up to and including what carries it may be
 * written to the provider's cache and read back by the next request that starts the same way.
 * Adapters of providers that take explicit breakpoints send it; the others cache on their own
 * (OpenAI, DeepSeek, Gemini's implicit caching) and ignore it. Reads and writes of the cache are
 * priced apart in usage (`cacheRead`, `cacheWrite`).
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 */
export interface CacheControl {
  type: 'ephemeral';
  /** How long the entry lives; Anthropic's default is 5 minutes, and an hour costs more to write. */
  ttl?: '5m' | '1h';
}

export interface SystemMessage {
  role: 'system';
  content: string;
  cacheControl?: CacheControl;
}

export interface UserMessage {
  role: 'user';
  content: UserContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: AssistantContentPart[];
}

/** Results of tool calls the assistant made in the previous message. */
export interface ToolMessage {
  role: 'tool';
  content: ToolResultPart[];
}

export type UserContentPart = TextPart | ImagePart | AudioPart | VideoPart | FilePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart | ProviderBlockPart;

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
  /**
   * The sources an answer's text cites, as the provider sent them (Anthropic's
   * `web_search_result_location`, whose `encrypted_index` points into a search result of the same
   * turn), sent back to it unchanged.
   */
  citations?: ProviderBlock[];
}

/** Bytes inline (base64, as every provider wants them on the wire) or a URL the provider fetches. */
export type MediaSource = { kind: 'base64'; data: string } | { kind: 'url'; url: string };

export interface ImagePart {
  type: 'image';
  source: MediaSource;
  /** e.g. `image/png`. */
  mediaType: string;
  /** Workspace file name, for error messages and the decision log. */
  filename?: string;
  cacheControl?: CacheControl;
}

export interface AudioPart {
  type: 'audio';
  source: MediaSource;
  /** e.g. `audio/wav`, `audio/mpeg`. */
  mediaType: string;
  filename?: string;
  cacheControl?: CacheControl;
}

export interface VideoPart {
  type: 'video';
  source: MediaSource;
  /** e.g. `video/mp4`. */
  mediaType: string;
  filename?: string;
  cacheControl?: CacheControl;
}

/** A document, today a PDF (`application/pdf`). */
export interface FilePart {
  type: 'file';
  source: MediaSource;
  mediaType: string;
  filename?: string;
  cacheControl?: CacheControl;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Provider signature that must be sent back unchanged (Anthropic thinking blocks). */
  signature?: string;
  /** Anthropic's encrypted `redacted_thinking` data (then `text` is empty), sent back unchanged. */
  redacted?: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** Arguments as the model produced them (parsed JSON). */
  input: unknown;
  cacheControl?: CacheControl;
}

/**
 * A content block only one API understands, kept whole and sent back to it unchanged: Anthropic's
 * `server_tool_use` (a search the model ran at Anthropic) and the `web_search_tool_result` that
 * answered it, with the encrypted page content later citations point into. A conversation holding
 * one goes only to targets that speak that API.
 */
export interface ProviderBlockPart {
  type: 'provider-block';
  api: ProviderApi;
  block: ProviderBlock;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  /** The tool's output as text (JSON is stringified by the caller). */
  output: string;
  isError?: boolean;
  cacheControl?: CacheControl;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  inputSchema: Record<string, unknown>;
  cacheControl?: CacheControl;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json'; schema?: Record<string, unknown>; name?: string; description?: string };

/** The input modalities a request carries, used by capability routing. */
export type InputModality = 'text' | 'image' | 'audio' | 'video' | 'file';
