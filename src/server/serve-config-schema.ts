import { z } from 'zod';

/** Provider presets whose key variable is known, for `keyEnv` defaults and env-only start-up. */
export const KNOWN_KEY_VARIABLES: Readonly<Record<string, { kind: 'openai-compatible' | 'anthropic' | 'gemini'; variable: string }>> = {
  openai: { kind: 'openai-compatible', variable: 'OPENAI_API_KEY' },
  anthropic: { kind: 'anthropic', variable: 'ANTHROPIC_API_KEY' },
  gemini: { kind: 'gemini', variable: 'GEMINI_API_KEY' },
  openrouter: { kind: 'openai-compatible', variable: 'OPENROUTER_API_KEY' },
  groq: { kind: 'openai-compatible', variable: 'GROQ_API_KEY' },
  mistral: { kind: 'openai-compatible', variable: 'MISTRAL_API_KEY' },
  deepseek: { kind: 'openai-compatible', variable: 'DEEPSEEK_API_KEY' },
  xai: { kind: 'openai-compatible', variable: 'XAI_API_KEY' },
  together: { kind: 'openai-compatible', variable: 'TOGETHER_API_KEY' },
  fireworks: { kind: 'openai-compatible', variable: 'FIREWORKS_API_KEY' },
};

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

/**
 * The `perpetuo serve` config file (JSON), documented in docs/endpoint.md. It names where
 * secrets are — environment variables or 0600 files — and never holds one itself.
 */
export const serveConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  port: z.int().min(0).max(65535).default(8787),
  host: z.enum(['127.0.0.1', '::1', 'localhost']).default('127.0.0.1'),
  providers: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a lowercase id such as "openai" or "my-vllm"'),
        kind: z.enum(['openai-compatible', 'anthropic', 'gemini']),
        preset: z.string().optional(),
        baseUrl: z.url({ protocol: /^https?$/ }).optional(),
        keyEnv: envName.optional(),
        keyFile: z.string().min(1).optional(),
        /** Local servers (Ollama, LM Studio, vLLM) need no key. */
        noKey: z.boolean().optional(),
        headers: z.record(z.string(), z.string()).optional(),
        azureApiVersion: z.string().optional(),
        /** Model ids this provider serves that the catalog may not know (local and custom servers). */
        models: z.array(z.string().min(1)).optional(),
        /** What it serves costs nothing per token (a server on this machine). */
        free: z.boolean().optional(),
      }),
    )
    .optional(),
  strategy: z.enum(['cheapest', 'fastest', 'reliable', 'balanced', 'quality', 'priority']).default('balanced'),
  /** A guardrails policy file (the `.perpetuo/policy.json` format), relative to this file. */
  guardrails: z.string().min(1).optional(),
  /** The decision log's folder, relative to this file; budgets, metrics and the catalog cache live beside it. */
  ledgerDir: z.string().min(1).optional(),
  /** Refresh the bundled model catalog from OpenRouter's public model list (cached for a day). */
  liveCatalog: z.boolean().default(true),
  tokens: z
    .array(
      z.strictObject({ name: z.string().min(1).max(64), tokenEnv: envName.optional(), tokenFile: z.string().min(1).optional() }).refine(
        (token) => (token.tokenEnv === undefined) !== (token.tokenFile === undefined),
        'give exactly one of tokenEnv or tokenFile',
      ),
    )
    .min(1)
    .optional(),
  limits: z
    .strictObject({
      maxBodyBytes: z.int().positive().optional(),
      maxConcurrentPerToken: z.int().positive().optional(),
      requestsPerMinute: z.int().positive().optional(),
      keepAliveMs: z.int().nonnegative().optional(),
    })
    .optional(),
  allowedOrigins: z.array(z.url()).optional(),
  /** How PDFs reach models, as the extension's `perpetuo.attachments.*` settings. */
  attachments: z
    .strictObject({
      /** `native`: the file to models that read PDFs, its text to the others; `text`: always the text. */
      pdfEngine: z.enum(['native', 'text']).optional(),
      /** Most pages extracted as text (the note at the head of the text names what was left out). */
      pdfPageLimit: z.int().min(1).max(10_000).optional(),
    })
    .optional(),
});

export type ServeConfigFile = z.infer<typeof serveConfigSchema>;
