/**
 * Providers a key can be added for from the command palette, with the environment variables that
 * usually hold their key (the first one found wins, in this order).
 */
export const KEYED_PROVIDERS: ReadonlyArray<{ id: string; label: string; env: readonly string[] }> = [
  { id: 'openai', label: 'OpenAI', env: ['OPENAI_API_KEY'] },
  { id: 'anthropic', label: 'Anthropic', env: ['ANTHROPIC_API_KEY'] },
  { id: 'google', label: 'Google Gemini', env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  { id: 'openrouter', label: 'OpenRouter', env: ['OPENROUTER_API_KEY'] },
  { id: 'groq', label: 'Groq', env: ['GROQ_API_KEY'] },
  { id: 'mistral', label: 'Mistral', env: ['MISTRAL_API_KEY'] },
  { id: 'deepseek', label: 'DeepSeek', env: ['DEEPSEEK_API_KEY'] },
  { id: 'xai', label: 'xAI', env: ['XAI_API_KEY'] },
  { id: 'together', label: 'Together AI', env: ['TOGETHER_API_KEY'] },
  { id: 'fireworks', label: 'Fireworks AI', env: ['FIREWORKS_API_KEY'] },
  { id: 'azure', label: 'Azure OpenAI', env: ['AZURE_OPENAI_API_KEY'] },
];

/** Endpoint kinds the guided "Configure Endpoint" command writes to `perpetuo.providers`. */
export const ENDPOINT_PRESETS: ReadonlyArray<{ preset: 'azure' | 'ollama' | 'lmstudio' | 'custom'; label: string; defaultBaseUrl?: string; needsKey: boolean }> = [
  { preset: 'ollama', label: 'Ollama', defaultBaseUrl: 'http://127.0.0.1:11434/v1', needsKey: false },
  { preset: 'lmstudio', label: 'LM Studio', defaultBaseUrl: 'http://127.0.0.1:1234/v1', needsKey: false },
  { preset: 'azure', label: 'Azure OpenAI', needsKey: true },
  { preset: 'custom', label: 'OpenAI-compatible server', needsKey: false },
];
