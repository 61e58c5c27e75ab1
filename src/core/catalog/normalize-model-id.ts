/**
 * Maps a provider's own model id onto the catalog's canonical `author/model` id, OpenRouter's
 * naming (`claude-sonnet-4-5-20250929` on Anthropic → `anthropic/claude-sonnet-4.5`, Fireworks'
 * `accounts/fireworks/models/kimi-k2p6` → `moonshotai/kimi-k2.6`), so that one model served by
 * several providers is one catalog entry with several endpoints. Used by the snapshot generator,
 * by `mergeProviderListing` and by `Catalog.resolveId`.
 */
export interface NormalizedModelId {
  /** Canonical id, `author/model`. */
  id: string;
  /** OpenRouter's `:free` variant is the free endpoint of the same model. */
  serviceTier?: 'free';
  /** A quantisation named in the id (`-FP8`), which is a property of the endpoint, not the model. */
  quantization?: string;
}

/** Providers whose model names are the user's local tags: kept apart under the provider's name. */
const LOCAL_PROVIDERS = new Set(['ollama', 'lmstudio']);

/** Organisation names used by hosts and by models.dev, mapped to OpenRouter's author slugs. */
const AUTHOR_ALIASES: Record<string, string> = {
  meta: 'meta-llama',
  alibaba: 'qwen',
  zhipuai: 'z-ai',
  'zai-org': 'z-ai',
  zai: 'z-ai',
  mistral: 'mistralai',
  xai: 'x-ai',
  'deepseek-ai': 'deepseek',
  moonshot: 'moonshotai',
  minimaxai: 'minimax',
  liquidai: 'liquid',
};

/** Which author a first-party provider's bare ids belong to. */
const FIRST_PARTY_AUTHORS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistral: 'mistralai',
  deepseek: 'deepseek',
  xai: 'x-ai',
};

/** For hosts (Azure, Groq, Fireworks, custom servers) that serve bare ids: the author by name. */
const FAMILY_AUTHORS: Array<[RegExp, string]> = [
  [/^(gpt-|chatgpt-|o\d(-|$)|codex-)/, 'openai'],
  [/^claude/, 'anthropic'],
  [/^(gemini|gemma)/, 'google'],
  [/^(mistral|ministral|codestral|devstral|magistral|pixtral|mixtral|open-mistral|open-mixtral|voxtral)/, 'mistralai'],
  [/^deepseek/, 'deepseek'],
  [/^grok/, 'x-ai'],
  [/^llama/, 'meta-llama'],
  [/^phi-/, 'microsoft'],
  [/^kimi/, 'moonshotai'],
  [/^glm/, 'z-ai'],
  [/^minimax/, 'minimax'],
  [/^(qwen|qwq)/, 'qwen'],
  [/^command/, 'cohere'],
];

/**
 * The few ids no rule can derive: hosts that renamed a model (Groq's `-versatile`/`-instant`,
 * the full Llama 4 checkpoint names) or where OpenRouter dropped a suffix. Keys are ids after
 * the rules below have run.
 */
const CANONICAL_ALIASES: Record<string, string> = {
  // Groq's names for Meta's instruct checkpoints (console.groq.com/docs/models).
  'meta-llama/llama-3.3-70b-versatile': 'meta-llama/llama-3.3-70b-instruct',
  'meta-llama/llama-3.1-8b-instant': 'meta-llama/llama-3.1-8b-instruct',
  'meta-llama/llama-4-scout-17b-16e-instruct': 'meta-llama/llama-4-scout',
  'meta-llama/llama-4-maverick-17b-128e-instruct': 'meta-llama/llama-4-maverick',
  // xAI's reasoning variant is the one OpenRouter lists without a suffix (its entry has reasoning: true).
  'x-ai/grok-4.20-reasoning': 'x-ai/grok-4.20',
  // Azure drops DeepSeek's "chat" from the V3 checkpoints.
  'deepseek/deepseek-v3-0324': 'deepseek/deepseek-chat-v3-0324',
  'deepseek/deepseek-v3.1': 'deepseek/deepseek-chat-v3.1',
};

const QUANTIZATION_SUFFIX = /-(fp4|fp6|fp8|fp16|bf16|int4|int8)$/;

/**
 * @param upstreamId the id as the provider's API takes it
 * @param provider our provider id (`openai`, `fireworks`, `together`, …), when known
 * @see https://openrouter.ai/docs/models (id scheme `author/slug`, `:free` variants)
 */
export function normalizeModelId(upstreamId: string, provider?: string): NormalizedModelId {
  const raw = upstreamId.trim();
  if (provider !== undefined && LOCAL_PROVIDERS.has(provider)) {
    return { id: `${provider}/${raw}` };
  }
  if (provider === 'openrouter') {
    return normalizeOpenRouterId(raw);
  }

  let slug = raw.toLowerCase();
  let quantization: string | undefined;
  const isFireworks = provider === 'fireworks' || slug.startsWith('accounts/');
  // Gemini's /models lists `models/gemini-2.5-pro`; Fireworks paths are `accounts/<owner>/models/<name>`.
  slug = slug.replace(/^models\//, '').replace(/^accounts\/[^/]+\/(models|routers|deployments)\//, '');

  let author: string | undefined;
  const slash = slug.indexOf('/');
  if (slash > 0) {
    const org = slug.slice(0, slash);
    author = AUTHOR_ALIASES[org] ?? org;
    slug = slug.slice(slash + 1);
  }

  if (isFireworks) {
    // Fireworks writes version dots as "p": glm-5p1, kimi-k2p6.
    slug = slug.replace(/(\d)p(\d)/g, '$1.$2');
  }
  if (provider === 'together') {
    // Together's serving variants of one checkpoint: -Turbo, -tput (throughput-optimised).
    slug = slug.replace(/-(turbo|tput)$/, '');
  }
  const quant = QUANTIZATION_SUFFIX.exec(slug);
  if (quant) {
    quantization = quant[1];
    slug = slug.slice(0, quant.index);
  }
  // Anthropic's dated snapshots: the undated alias is the same model.
  slug = slug.replace(/-20\d{6}$/, '');
  slug = slug.replace(/^meta-llama-/, 'llama-');
  slug = dotVersionNumbers(slug);
  if (slug.startsWith('cohere-')) {
    slug = slug.slice('cohere-'.length);
  }

  author ??= (provider !== undefined ? FIRST_PARTY_AUTHORS[provider] : undefined) ?? authorByFamily(slug) ?? provider ?? 'unknown';
  if (author === 'anthropic') {
    slug = slug.replace(/-(\d)\.0$/, '-$1'); // claude-opus-4-0 is claude-opus-4
  }
  if (author === 'openai') {
    slug = slug.replace(/-chat-latest$/, '-chat'); // gpt-5-chat-latest is OpenRouter's gpt-5-chat
  }
  if (author === 'x-ai') {
    slug = slug.replace(/-\d{4}(?=-|$)/, ''); // release tags: grok-4.20-0309-reasoning
    slug = slug.replace(/^grok-(\d)-(\d{2})(?=$|-)/, 'grok-$1.$2'); // Azure's grok-4-20 is grok-4.20
  }

  const id = `${author}/${slug}`;
  return withOptional({ id: CANONICAL_ALIASES[id] ?? id }, undefined, quantization);
}

function normalizeOpenRouterId(raw: string): NormalizedModelId {
  const colon = raw.indexOf(':');
  const base = colon > 0 ? raw.slice(0, colon) : raw;
  const variant = colon > 0 ? raw.slice(colon + 1) : undefined;
  if (variant === 'free') {
    return { id: base, serviceTier: 'free' };
  }
  // Other variants (:thinking, :extended, …) change behaviour, so they stay distinct models.
  return { id: raw };
}

/** `claude-sonnet-4-5` → `claude-sonnet-4.5`, `gemini-2-5-flash` → `gemini-2.5-flash`; leaves `3-8b`, dates alone. */
function dotVersionNumbers(slug: string): string {
  let previous: string;
  let current = slug;
  do {
    previous = current;
    current = current.replace(/(^|[^\d.])(\d)-(\d)(?=$|-)/, '$1$2.$3');
  } while (current !== previous);
  return current;
}

function authorByFamily(slug: string): string | undefined {
  return FAMILY_AUTHORS.find(([pattern]) => pattern.test(slug))?.[1];
}

function withOptional(base: NormalizedModelId, serviceTier: 'free' | undefined, quantization: string | undefined): NormalizedModelId {
  return {
    ...base,
    ...(serviceTier ? { serviceTier } : {}),
    ...(quantization ? { quantization } : {}),
  };
}
