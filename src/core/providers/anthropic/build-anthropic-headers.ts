import type { ProviderConfig } from '../provider-config';
import { ANTHROPIC_VERSION, DEFAULT_ANTHROPIC_BASE_URL } from './anthropic-api';

/**
 * Headers of every Anthropic call. The key goes in `x-api-key` and nowhere else; the
 * configured extra headers cannot replace it or the version.
 * @see https://platform.claude.com/docs/en/api/overview#authentication
 * @see https://platform.claude.com/docs/en/api/beta-headers
 */
export function buildAnthropicHeaders(config: ProviderConfig, betas: string[] = []): Record<string, string> {
  return {
    ...config.headers,
    ...(config.apiKey ? { 'x-api-key': config.apiKey } : {}),
    'anthropic-version': ANTHROPIC_VERSION,
    ...(betas.length === 0 ? {} : { 'anthropic-beta': betas.join(',') }),
  };
}

/** `baseUrl` without a trailing slash, defaulting to Anthropic's own. */
export function anthropicBaseUrl(config: ProviderConfig): string {
  return (config.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, '');
}
