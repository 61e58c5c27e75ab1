import { z } from 'zod';
import type { CacheControl } from '../core/spec';

/**
 * A prompt-cache breakpoint as clients send it: Anthropic's `cache_control` on a block, also what
 * OpenRouter-style clients put on Chat Completions content parts. A kind or lifetime Anthropic
 * would refuse is a 400 naming the field.
 */
export const cacheControlSchema = z.looseObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).nullish();

/** `{ cacheControl }` for a block or part that set `cache_control`, else nothing to spread. */
export function breakpointOf(item: { cache_control?: z.infer<typeof cacheControlSchema> }): { cacheControl?: CacheControl } {
  const control = item.cache_control;
  return control == null ? {} : { cacheControl: control.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: control.ttl } };
}
