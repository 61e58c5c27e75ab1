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
  /**
   * Names of Responses custom tools, which models see as function tools taking `{input}`: calls
   * to them go back to the client as `custom_tool_call` items.
   */
  customTools?: ReadonlySet<string>;
  /** What the client asked for and is deliberately not sent on, with the reason: logged once. */
  withheld?: Array<{ item: string; reason: string }>;
}

/**
 * OpenRouter's routing extensions, accepted on every API (OpenRouter takes them on chat
 * completions, responses and messages alike).
 * @see https://openrouter.ai/docs/features/model-routing
 */
export const openRouterRoutingFields = {
  models: z.array(z.string().min(1)).max(16).nullish(),
  provider: z.record(z.string(), z.unknown()).nullish(),
  route: z.string().nullish(),
  transforms: z.array(z.string()).nullish(),
  plugins: z.array(z.looseObject({ id: z.string() })).nullish(),
};

/** The routing part of `EndpointRequest`, and what goes to OpenRouter itself through `providerOptions`. */
export function pickRouting(data: {
  models?: string[] | null | undefined;
  provider?: Record<string, unknown> | null | undefined;
  route?: string | null | undefined;
  transforms?: string[] | null | undefined;
  plugins?: Array<{ id: string }> | null | undefined;
}): { routing: EndpointRequest['routing']; providerOptions: ChatRequest['providerOptions'] } {
  // Clients send null for "absent" as often as they omit a field.
  const routing: EndpointRequest['routing'] = {};
  if (data.models != null) routing.models = data.models;
  if (data.provider != null) routing.provider = data.provider;
  if (data.route != null) routing.route = data.route;
  const openrouter: Record<string, unknown> = {};
  if (data.transforms != null) openrouter.transforms = data.transforms;
  if (data.plugins != null) openrouter.plugins = data.plugins;
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
