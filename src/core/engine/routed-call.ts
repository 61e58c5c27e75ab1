import type { ChatRequest } from '../spec/chat-request';
import type { ChatStreamPart } from '../spec/chat-stream-part';

/**
 * The seam between Perpetuo's surfaces (chat participant, model picker, code actions, the
 * localhost endpoint) and its core. Surfaces hand over a request and how it was asked for; the
 * engine plans the route, applies guardrails, walks fallbacks, records the ledger line, and gives
 * back one stream.
 */
export interface RoutingEngine {
  route(request: ChatRequest, options: RouteOptions, signal: AbortSignal): RoutedCall;
  /** What can be asked for right now: routes (`perpetuo/auto`, …) and each reachable model. */
  listModels(): RoutableModel[];
  /**
   * The plan `route` would follow, without calling anyone or reserving budget: the ordered
   * targets and every rejected candidate with its reason. Throws the planner's PerpetuoError.
   */
  previewRoute?(request: ChatRequest, options: RouteOptions): RoutePlanPreview;
}

/** A route plan as a surface shows it (`/models`, `/compare`): see src/core/routing/route-plan.ts. */
export interface RoutePlanPreview {
  targets: Array<{ modelId: string; provider: string; upstreamModelId: string; estimatedCostUsd: number | null; why: string }>;
  rejected: Array<{ modelId: string; provider: string; reason: string; detail: string }>;
  explanation: string;
  eligibleCount: number;
}

/** Where a request came from, for the ledger and per-app guardrails. */
export interface RequestSource {
  kind: 'chat' | 'model-picker' | 'code-action' | 'endpoint';
  /** The calling extension id (model picker), the endpoint token's app name, the slash command… */
  detail?: string;
}

export interface RouteOptions {
  /** `perpetuo/auto`, `perpetuo/cheapest`, `anthropic/claude-sonnet-4.5`, `openai/gpt-4o:floor`, … */
  model: string;
  source: RequestSource;
  /** OpenRouter-style fallback list (`models[]`). */
  models?: string[];
  /** OpenRouter-style `provider{}` preferences, as the client sent them (validated by the router). */
  provider?: Record<string, unknown>;
  /** OpenRouter-style `route` (`"fallback"`), as the client sent it; the router decides what it means. */
  route?: string;
  /** Endpoint token name, when the request came through the localhost endpoint. */
  app?: string;
  /** `X-Title`, `HTTP-Referer`, `X-Client-Name` as the client sent them. */
  attribution?: { title?: string; referer?: string; clientName?: string; attachmentsDropped?: string };
  /**
   * What the surface wants the decision log to say about this request beyond the route: a choice
   * the user made ("sent without diagram.png: the model cannot read images"). Recorded in the
   * ledger's attribution as `notes`.
   */
  notes?: string[];
}

/** One routed request in flight. */
export interface RoutedCall {
  /** The decision id: the ledger line and the dashboard use it. */
  readonly id: string;
  /**
   * The answer. Ends with exactly one `finish` or `error`. Errors before any content (every
   * target failed, budget blocked, no eligible model) come out as a single `error` part.
   */
  readonly stream: AsyncIterable<ChatStreamPart>;
  /** The target that is serving, once the first content part has been committed; else undefined. */
  served(): ServedTarget | undefined;
  /** Resolves after the stream ends and the ledger line is written. */
  readonly settled: Promise<CallSummary>;
  /**
   * Perpetuo's own time (ms) before the upstream request that is serving was sent, known once the
   * first content part has been committed; else undefined. The endpoint reports it in a response
   * header before `settled` can resolve (a stream's headers go out at its first content part).
   */
  overheadMs?(): number | undefined;
}

export interface ServedTarget {
  /** Canonical catalog id, e.g. `anthropic/claude-sonnet-4.5`. */
  modelId: string;
  provider: string;
  upstreamModelId: string;
  /** How many targets failed before this one. */
  fallbacks: number;
  /** One line: why this target. */
  reason: string;
}

export interface CallSummary {
  id: string;
  outcome: 'ok' | 'error' | 'partial' | 'cancelled' | 'blocked';
  served?: ServedTarget;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  latencyMs: number;
  ttftMs?: number;
  /** Perpetuo's own time before the upstream request was sent. */
  overheadMs: number;
}

export interface RoutableModel {
  /** `perpetuo/auto` or a catalog id. */
  id: string;
  name: string;
  kind: 'route' | 'model';
  /** Providers (with keys) that can serve it. */
  providers: string[];
  contextLength?: number;
  maxOutputTokens?: number;
  imageInput: boolean;
  toolCalling: boolean;
}
