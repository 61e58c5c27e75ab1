import type { InputModality } from '../spec/chat-request';

/**
 * One model in the catalog, in OpenRouter's `author/model` id form, with every endpoint (a
 * provider that serves it) the catalog knows.
 */
export interface CatalogModel {
  /** `author/model`, e.g. `anthropic/claude-sonnet-4.5`, `openai/gpt-5-mini`. */
  id: string;
  name: string;
  family?: string;
  releaseDate?: string;
  /** Quality tier used by the `quality` strategy and the auto router; 1 is the strongest. */
  tier?: 1 | 2 | 3 | 4;
  reasoning?: boolean;
  /**
   * Other ids that name this model: dated snapshots (`claude-sonnet-4-5-20250929`), an upstream
   * id that normalises here, an OpenRouter `canonical_slug`. `Catalog.resolveId` accepts them.
   */
  aliases?: string[];
  endpoints: CatalogEndpoint[];
}

/** A provider serving a model: where to send it, what it costs, what it accepts. */
export interface CatalogEndpoint {
  /** Provider id: `openai`, `anthropic`, `google`, `openrouter`, `groq`, `mistral`, … */
  provider: string;
  /** The model id that provider's API expects, e.g. `claude-sonnet-4-5` or `anthropic/claude-sonnet-4.5`. */
  upstreamModelId: string;
  pricing: EndpointPricing;
  contextLength: number | undefined;
  maxOutputTokens: number | undefined;
  inputModalities: InputModality[];
  outputModalities: Array<'text' | 'image' | 'audio'>;
  /** OpenRouter's vocabulary: `tools`, `tool_choice`, `response_format`, `structured_outputs`, `reasoning`, `temperature`, `top_p`, `seed`, `stop`, `max_tokens`. */
  supportedParameters: string[];
  quantization?: string;
  /** Endpoint tier in OpenRouter's sense: `free`, `flex` (admitted by `:floor`), `priority` (by `:nitro`), or standard. */
  serviceTier?: 'standard' | 'free' | 'flex' | 'priority';
  /**
   * For an aggregator endpoint (OpenRouter), the upstream provider it pins, as the slug that goes
   * in `provider.order` (`google-vertex`, `deepinfra/turbo`). Undefined for a direct endpoint and
   * for the aggregator's own load-balanced route.
   */
  upstreamProvider?: string;
  dataPolicy: DataPolicy;
  /** Published stats (OpenRouter `/endpoints`); our own live metrics take precedence when present. */
  stats?: EndpointStats;
}

/**
 * Prices in USD **per token** (per image, per request), as decimal strings exactly as published.
 * `undefined` means unknown, which is never the same as free (`"0"`).
 */
export interface EndpointPricing {
  input: string | undefined;
  output: string | undefined;
  cacheRead?: string;
  /** Cache writes with the default lifetime (Anthropic: five minutes). */
  cacheWrite?: string;
  /** Cache writes kept for one hour (Anthropic's `ttl: "1h"`), where priced apart. */
  cacheWrite1h?: string;
  /** Reasoning tokens, when priced apart from output. */
  reasoning?: string;
  image?: string;
  request?: string;
  /** Per search the provider's own web search tool runs (Anthropic: $10 per 1,000). */
  webSearch?: string;
  /** Long-context prices: apply when the prompt has at least `minPromptTokens` tokens. */
  overrides?: Array<{ minPromptTokens: number } & Partial<Pick<EndpointPricing, 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h'>>>;
}

export interface DataPolicy {
  /** Does the provider keep prompts (beyond in-memory caching)? undefined when unknown. */
  retainsPrompts?: boolean;
  /** Does it train on them? */
  trainsOnPrompts?: boolean;
  /** Zero data retention. Unknown is treated as not ZDR. */
  zdr?: boolean;
  /** Where the policy facts come from (URL or "openrouter /endpoints/zdr 2026-…"). */
  source?: string;
}

export interface EndpointStats {
  /** Share of successful requests over the last 30 minutes, as a fraction 0–1 (OpenRouter publishes a percentage). */
  uptime30m?: number;
  /** Median time to first token over the last 30 minutes, in milliseconds. */
  latencyP50Ms?: number;
  /** Median output speed over the last 30 minutes, in tokens per second. */
  throughputP50?: number;
}
