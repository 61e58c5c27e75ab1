import type { CacheControl } from '../../spec/chat-request';
import type { AnthropicCacheControl } from './anthropic-api';

/** `{ cache_control }` for a part, tool or system message that carries a breakpoint; else nothing to spread. */
export function cacheControlOf(part: { cacheControl?: CacheControl }): { cache_control?: AnthropicCacheControl } {
  const control = part.cacheControl;
  return control === undefined ? {} : { cache_control: control.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: control.ttl } };
}
