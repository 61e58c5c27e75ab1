/**
 * What differs between servers that speak OpenAI Chat Completions. Everything else — the body,
 * the stream, the error shape — is shared, so a provider here is a row of this table.
 */
export interface OpenAICompatiblePreset {
  id: string;
  displayName: string;
  /** Default API base (without a trailing slash); `undefined` when the user must supply one. */
  defaultBaseUrl: string | undefined;
  /**
   * How the key travels. `bearer`: `Authorization: Bearer`, key required. `optional-bearer`:
   * sent when configured. `api-key`: Azure's `api-key` header. `none`: local servers.
   */
  auth: 'bearer' | 'optional-bearer' | 'api-key' | 'none';
  /** `openai`: `{base}/chat/completions`; `azure`: `{base}/openai/deployments/{model}/chat/completions?api-version=`. */
  urlStyle: 'openai' | 'azure';
  /** OpenAI deprecated `max_tokens` (o-series reject it); most others only document `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Whether to ask for the usage chunk with `stream_options.include_usage` (OpenAI only sends it then). */
  sendStreamOptions: boolean;
  /** `reasoning_effort` (OpenAI style), OpenRouter's `reasoning: {effort}`, or not supported (dropped). */
  reasoning: 'reasoning-effort' | 'openrouter' | 'unsupported';
  /** Mistral calls the seed `random_seed`. */
  seedField: 'seed' | 'random_seed';
  /**
   * OpenAI counts reasoning tokens inside `completion_tokens`; xAI reports them on top of it
   * (its `total_tokens` is prompt + completion + reasoning), so adding them is the only way to
   * bill every output token.
   */
  reasoningTokensInCompletion: boolean;
  /** The cheapest authenticated call: `GET /models`, or OpenRouter's `GET /key` (also tells the credit left). */
  keyCheck: 'models' | 'openrouter-key';
  /** Whether `GET /models` lists what this preset can call (Azure lists base models, not deployments). */
  canListModels: boolean;
  /** Key under `ChatRequest.providerOptions` whose fields are merged into the body as they are. */
  providerOptionsKey: string;
  /**
   * Whether prompt-cache breakpoints go out as `cache_control` on content parts (OpenRouter, which
   * hands them to Anthropic and Gemini models). Other servers cache on their own, and some refuse
   * fields they do not know, so they never see one.
   * @see https://openrouter.ai/docs/guides/best-practices/prompt-caching
   */
  cacheBreakpoints: boolean;
  /** Where the facts in this row come from. */
  docs: string;
}

/**
 * The presets, one per server family. Base URLs, auth headers and listing endpoints were checked
 * against each provider's documentation (the `docs` field); quirks are documented per field above.
 *
 * | preset     | auth            | max tokens            | stream_options | reasoning          | notes                                    |
 * |------------|-----------------|-----------------------|----------------|--------------------|------------------------------------------|
 * | openai     | bearer          | max_completion_tokens | yes            | reasoning_effort   |                                          |
 * | azure      | api-key header  | max_completion_tokens | yes            | reasoning_effort   | deployment URL + api-version             |
 * | openrouter | bearer          | max_tokens            | yes (no-op)    | reasoning{effort}  | GET /key; usage.cost; provider field     |
 * | groq       | bearer          | max_completion_tokens | yes            | reasoning_effort   | usage also in x_groq.usage               |
 * | mistral    | bearer          | max_tokens            | no (always on) | dropped            | random_seed; strict about unknown fields |
 * | deepseek   | bearer          | max_tokens            | yes            | dropped            | reasoning_content; prompt_cache_*_tokens |
 * | xai        | bearer          | max_tokens            | yes            | reasoning_effort   | reasoning tokens on top of completion    |
 * | together   | bearer          | max_tokens            | yes            | reasoning_effort   | /models is a bare array                  |
 * | fireworks  | bearer          | max_tokens            | yes            | reasoning_effort   |                                          |
 * | ollama     | none            | max_tokens            | yes            | reasoning_effort   | local                                    |
 * | lmstudio   | none            | max_tokens            | yes            | reasoning_effort   | local                                    |
 * | custom     | optional bearer | max_tokens            | yes            | reasoning_effort   | base URL from config                     |
 */
export const OPENAI_COMPATIBLE_PRESETS: Readonly<Record<string, OpenAICompatiblePreset>> = {
  openai: {
    ...bearerDefaults('openai', 'OpenAI', 'https://api.openai.com/v1'),
    maxTokensField: 'max_completion_tokens',
    docs: 'https://platform.openai.com/docs/api-reference/chat/create',
  },
  azure: {
    ...bearerDefaults('azure', 'Azure OpenAI', undefined),
    auth: 'api-key',
    urlStyle: 'azure',
    maxTokensField: 'max_completion_tokens',
    // `GET /openai/models` lists the resource's base models; requests name deployments, which the
    // data plane cannot list. It still serves as the cheapest authenticated call.
    canListModels: false,
    providerOptionsKey: 'azure',
    docs: 'https://learn.microsoft.com/en-us/azure/ai-services/openai/reference',
  },
  openrouter: {
    ...bearerDefaults('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1'),
    // Usage is always sent now and `stream_options` is a documented no-op; sending it costs
    // nothing and keeps usage coming should a route still honour it.
    reasoning: 'openrouter',
    keyCheck: 'openrouter-key',
    cacheBreakpoints: true,
    docs: 'https://openrouter.ai/docs/api/reference/overview',
  },
  groq: {
    ...bearerDefaults('groq', 'Groq', 'https://api.groq.com/openai/v1'),
    // Groq's API added `max_completion_tokens` and deprecated `max_tokens`, as OpenAI did.
    maxTokensField: 'max_completion_tokens',
    docs: 'https://console.groq.com/docs/openai',
  },
  mistral: {
    ...bearerDefaults('mistral', 'Mistral', 'https://api.mistral.ai/v1'),
    // Mistral always sends usage on the last chunk and rejects fields it does not know.
    sendStreamOptions: false,
    reasoning: 'unsupported',
    seedField: 'random_seed',
    docs: 'https://docs.mistral.ai/api/',
  },
  deepseek: {
    ...bearerDefaults('deepseek', 'DeepSeek', 'https://api.deepseek.com'),
    // deepseek-reasoner thinks at one fixed depth; there is no effort parameter to send.
    reasoning: 'unsupported',
    docs: 'https://api-docs.deepseek.com/',
  },
  xai: {
    ...bearerDefaults('xai', 'xAI', 'https://api.x.ai/v1'),
    reasoningTokensInCompletion: false,
    docs: 'https://docs.x.ai/docs/api-reference',
  },
  together: {
    ...bearerDefaults('together', 'Together AI', 'https://api.together.xyz/v1'),
    docs: 'https://docs.together.ai/docs/openai-api-compatibility',
  },
  fireworks: {
    ...bearerDefaults('fireworks', 'Fireworks AI', 'https://api.fireworks.ai/inference/v1'),
    docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility',
  },
  ollama: {
    ...bearerDefaults('ollama', 'Ollama', 'http://127.0.0.1:11434/v1'),
    auth: 'none',
    docs: 'https://docs.ollama.com/api/openai-compatibility',
  },
  lmstudio: {
    ...bearerDefaults('lmstudio', 'LM Studio', 'http://127.0.0.1:1234/v1'),
    auth: 'none',
    docs: 'https://lmstudio.ai/docs/api/openai-api',
  },
  custom: {
    ...bearerDefaults('custom', 'OpenAI-compatible server', undefined),
    auth: 'optional-bearer',
    docs: 'https://platform.openai.com/docs/api-reference/chat/create',
  },
};

/** Azure's GA data-plane version when the config names none. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** The preset a config asks for; `custom` when it names none, `undefined` for an unknown name. */
export function resolveOpenAICompatiblePreset(preset: string | undefined): OpenAICompatiblePreset | undefined {
  return OPENAI_COMPATIBLE_PRESETS[preset ?? 'custom'];
}

function bearerDefaults(id: string, displayName: string, defaultBaseUrl: string | undefined): Omit<OpenAICompatiblePreset, 'docs'> {
  return {
    id,
    displayName,
    defaultBaseUrl,
    auth: 'bearer',
    urlStyle: 'openai',
    maxTokensField: 'max_tokens',
    sendStreamOptions: true,
    reasoning: 'reasoning-effort',
    seedField: 'seed',
    reasoningTokensInCompletion: true,
    keyCheck: 'models',
    canListModels: true,
    providerOptionsKey: id,
    cacheBreakpoints: false,
  };
}
