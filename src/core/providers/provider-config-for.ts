import { OPENAI_COMPATIBLE_PRESETS } from './openai-compatible/openai-compatible-presets';
import type { ProviderConfig, ProviderKind } from './provider-config';

/** Provider ids that speak their own native API; every other known id is an OpenAI-compatible preset. */
const NATIVE_KINDS: Readonly<Record<string, ProviderKind>> = { anthropic: 'anthropic', google: 'gemini' };

/**
 * The config for a provider id the catalog knows (`openai`, `anthropic`, `google`, `openrouter`,
 * `groq`, …) and its key; `overrides` carry a base URL or Azure settings from the user's config.
 * Undefined for an id that is neither native nor a preset (a custom server needs a base URL and
 * an explicit config).
 */
export function providerConfigFor(id: string, apiKey: string | undefined, overrides: Partial<ProviderConfig> = {}): ProviderConfig | undefined {
  const kind = NATIVE_KINDS[id];
  if (kind) {
    return { id, kind, apiKey, ...overrides };
  }
  if (id in OPENAI_COMPATIBLE_PRESETS) {
    return { id, kind: 'openai-compatible', preset: id, apiKey, ...overrides };
  }
  return undefined;
}
