/** Providers a key can be added for from the command palette, with the environment variable that usually holds it. */
export const KEYED_PROVIDERS = [
  { id: 'openai', label: 'OpenAI', env: 'OPENAI_API_KEY' },
  { id: 'anthropic', label: 'Anthropic', env: 'ANTHROPIC_API_KEY' },
  { id: 'google', label: 'Google Gemini', env: 'GEMINI_API_KEY' },
  { id: 'openrouter', label: 'OpenRouter', env: 'OPENROUTER_API_KEY' },
  { id: 'groq', label: 'Groq', env: 'GROQ_API_KEY' },
  { id: 'mistral', label: 'Mistral', env: 'MISTRAL_API_KEY' },
  { id: 'deepseek', label: 'DeepSeek', env: 'DEEPSEEK_API_KEY' },
  { id: 'xai', label: 'xAI', env: 'XAI_API_KEY' },
  { id: 'together', label: 'Together AI', env: 'TOGETHER_API_KEY' },
  { id: 'fireworks', label: 'Fireworks AI', env: 'FIREWORKS_API_KEY' },
  { id: 'azure', label: 'Azure OpenAI', env: 'AZURE_OPENAI_API_KEY' },
] as const;
