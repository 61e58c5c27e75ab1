import { z } from 'zod';
import type { ChatRequest } from '../core/spec';

/** A wire request of any of the served APIs, translated: what core needs to route and answer it. */
export interface EndpointRequest {
  /** The model or route the client asked for. */
  model: string;
  stream: boolean;
  chat: ChatRequest;
  /** OpenRouter's routing extensions, passed to `RouteOptions` as the client sent them. */
  routing: { models?: string[]; provider?: Record<string, unknown>; route?: string };
  /** Top-level fields nobody knows here: ignored, logged once. */
  unknownFields: string[];
}

/**
 * OpenRouter's routing extensions, accepted on every API (OpenRouter takes them on chat
 * completions, responses and messages alike).
 * @see https://openrouter.ai/docs/features/model-routing
 */
export const openRouterRoutingFields = {
  models: z.array(z.string().min(1)).max(16).optional(),
  provider: z.record(z.string(), z.unknown()).optional(),
  route: z.string().optional(),
  transforms: z.array(z.string()).optional(),
  plugins: z.array(z.looseObject({ id: z.string() })).optional(),
};

/** The routing part of `EndpointRequest`, and what goes to OpenRouter itself through `providerOptions`. */
export function pickRouting(data: {
  models?: string[] | undefined;
  provider?: Record<string, unknown> | undefined;
  route?: string | undefined;
  transforms?: string[] | undefined;
  plugins?: Array<{ id: string }> | undefined;
}): { routing: EndpointRequest['routing']; providerOptions: ChatRequest['providerOptions'] } {
  const routing: EndpointRequest['routing'] = {};
  if (data.models !== undefined) routing.models = data.models;
  if (data.provider !== undefined) routing.provider = data.provider;
  if (data.route !== undefined) routing.route = data.route;
  const openrouter: Record<string, unknown> = {};
  if (data.transforms !== undefined) openrouter.transforms = data.transforms;
  if (data.plugins !== undefined) openrouter.plugins = data.plugins;
  return { routing, providerOptions: Object.keys(openrouter).length > 0 ? { openrouter } : undefined };
}

/** OpenAI's effort words onto ours: `none` asks for no reasoning, `xhigh` is our highest. */
export function mapReasoningEffort(effort: string | undefined | null): ChatRequest['reasoningEffort'] {
  switch (effort) {
    case 'minimal':
    case 'low':
    case 'medium':
    case 'high':
      return effort;
    case 'xhigh':
      return 'high';
    default:
      return undefined;
  }
}

export const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
