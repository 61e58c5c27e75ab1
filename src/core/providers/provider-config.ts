/**
 * How to reach one provider account. Keys arrive here from SecretStorage (or, headless, from
 * environment variables) and go only into request headers — never a URL, a log or an error.
 */
export interface ProviderConfig {
  /** Instance id used everywhere else: `openai`, `anthropic`, `gemini`, `openrouter`, `azure`, `my-vllm`… */
  id: string;
  kind: ProviderKind;
  /** For `openai-compatible`: which preset's quirks apply (`openai`, `openrouter`, `groq`, …, `custom`). */
  preset?: string;
  /** API base, e.g. `https://api.openai.com/v1`; presets supply the default. */
  baseUrl?: string;
  /** Absent for local servers (Ollama, LM Studio) that need none. */
  apiKey?: string;
  /** Extra headers, e.g. OpenRouter attribution (`HTTP-Referer`, `X-Title`). */
  headers?: Record<string, string>;
  /** Azure OpenAI: the `api-version` query value; the deployment name is the model id. */
  azureApiVersion?: string;
}

export type ProviderKind = 'openai-compatible' | 'anthropic' | 'gemini';

/** What a cheap authenticated call says about a key. */
export type KeyVerdict =
  | { status: 'valid'; detail: string }
  | { status: 'invalid'; detail: string }
  | { status: 'no-credit'; detail: string }
  | { status: 'unreachable'; detail: string };

/** A model as a provider's own `/models` listing describes it. */
export interface ListedModel {
  /** The id the provider's API expects. */
  id: string;
  displayName?: string;
  contextLength?: number;
  maxOutputTokens?: number;
  inputModalities?: Array<'text' | 'image' | 'audio' | 'video' | 'file'>;
}
