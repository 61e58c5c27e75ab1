import type { ProviderKind } from '../providers/provider-config';
import { ATTACHMENT_LIMITS, type ProviderAttachmentLimits } from './attachment-limits';

/** Provider ids that are another name for a table entry. */
const ID_ALIASES: Readonly<Record<string, string>> = { google: 'gemini', 'google-ai-studio': 'gemini' };

/** Adapter kinds whose every instance talks to one provider's API, and so shares its limits. */
const BY_KIND: Readonly<Partial<Record<ProviderKind, string>>> = { anthropic: 'anthropic', gemini: 'gemini' };

/**
 * The attachment limits for a provider: by id (`openai`, `anthropic`, `google`, `openrouter`),
 * else by adapter kind (an `anthropic` or `gemini` instance under another id). An
 * `openai-compatible` server of unknown id (Groq, Ollama, a vLLM box) gets undefined: its limits are
 * its own, and we will not guess them.
 */
export function resolveAttachmentLimits(provider: { id: string; kind?: ProviderKind }): ProviderAttachmentLimits | undefined {
  const id = provider.id.toLowerCase();
  const byId = ATTACHMENT_LIMITS[ID_ALIASES[id] ?? id];
  if (byId !== undefined) {
    return byId;
  }
  const kindKey = provider.kind === undefined ? undefined : BY_KIND[provider.kind];
  return kindKey === undefined ? undefined : ATTACHMENT_LIMITS[kindKey];
}
