import type { CatalogModel } from '../../../src/core/catalog/catalog-model';
import { endpoint, model, perMillion } from './build-test-catalog';

const VISION: CatalogModel['endpoints'][number]['inputModalities'] = ['text', 'image'];

/**
 * A small catalog shaped like the real one: one model with several endpoints and different data
 * policies, a cheap open model with quantized and tiered endpoints, a multimodal model, an
 * unpriced local model.
 */
export const CATALOG: CatalogModel[] = [
  model(
    'openai/gpt-5',
    [
      endpoint('openai', { upstreamModelId: 'gpt-5', pricing: { input: perMillion(1.25), output: perMillion(10) }, supportedParameters: ['tools', 'response_format', 'structured_outputs', 'reasoning', 'max_tokens', 'seed'] }),
      endpoint('azure', {
        upstreamModelId: 'gpt-5-deploy',
        pricing: { input: perMillion(1.5), output: perMillion(12) },
        dataPolicy: { retainsPrompts: false, trainsOnPrompts: false, zdr: true },
      }),
      endpoint('openrouter', { upstreamModelId: 'openai/gpt-5', pricing: { input: perMillion(1.25), output: perMillion(10), request: '0.001' } }),
    ],
    { tier: 1, reasoning: true },
  ),
  model('openai/gpt-5-mini', [endpoint('openai', { upstreamModelId: 'gpt-5-mini', pricing: { input: perMillion(0.25), output: perMillion(2) } })], { tier: 3 }),
  model(
    'anthropic/claude-sonnet-4.5',
    [
      endpoint('anthropic', {
        upstreamModelId: 'claude-sonnet-4-5',
        pricing: { input: perMillion(3), output: perMillion(15), overrides: [{ minPromptTokens: 200_000, input: perMillion(6), output: perMillion(22.5) }] },
        contextLength: 1_000_000,
        maxOutputTokens: 64_000,
        inputModalities: [...VISION, 'file'],
        supportedParameters: ['tools', 'tool_choice', 'max_tokens', 'temperature', 'reasoning'],
        dataPolicy: { retainsPrompts: false, zdr: false },
      }),
      endpoint('openrouter', {
        upstreamModelId: 'anthropic/claude-sonnet-4.5',
        pricing: { input: perMillion(3), output: perMillion(15) },
        contextLength: 200_000,
        inputModalities: VISION,
        supportedParameters: ['tools', 'max_tokens', 'temperature', 'reasoning', 'response_format'],
      }),
    ],
    { tier: 2, reasoning: true },
  ),
  model('anthropic/claude-opus-4.1', [endpoint('anthropic', { upstreamModelId: 'claude-opus-4-1', pricing: { input: perMillion(15), output: perMillion(75) }, inputModalities: VISION })], { tier: 1, reasoning: true }),
  model(
    'meta/llama-3.3-70b',
    [
      endpoint('groq', { upstreamModelId: 'llama-3.3-70b-versatile', pricing: { input: perMillion(0.59), output: perMillion(0.79) }, quantization: 'fp8', supportedParameters: ['max_tokens', 'temperature'] }),
      endpoint('deepinfra', { upstreamModelId: 'meta-llama/Llama-3.3-70B-Instruct', pricing: { input: perMillion(0.23), output: perMillion(0.4) }, quantization: 'bf16' }),
      endpoint('openrouter', { upstreamModelId: 'meta-llama/llama-3.3-70b-instruct:free', pricing: { input: '0', output: '0' }, serviceTier: 'free' }),
      endpoint('together', { upstreamModelId: 'llama-flex', pricing: { input: perMillion(0.1), output: perMillion(0.2) }, serviceTier: 'flex' }),
      endpoint('fireworks', { upstreamModelId: 'llama-priority', pricing: { input: perMillion(0.9), output: perMillion(0.9) }, serviceTier: 'priority' }),
    ],
    { tier: 3 },
  ),
  model(
    'google/gemini-2.5-flash',
    [
      endpoint('google', {
        upstreamModelId: 'gemini-2.5-flash',
        pricing: { input: perMillion(0.3), output: perMillion(2.5) },
        contextLength: 1_048_576,
        inputModalities: ['text', 'image', 'audio', 'video', 'file'],
        supportedParameters: ['tools', 'response_format', 'structured_outputs', 'max_tokens', 'temperature'],
      }),
    ],
    { tier: 2 },
  ),
  model('local/qwen-coder', [endpoint('ollama', { upstreamModelId: 'qwen2.5-coder:7b', pricing: { input: undefined, output: undefined }, contextLength: 32_768 })], { tier: 4 }),
];

export const ALL_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'azure', 'openrouter', 'anthropic', 'groq', 'deepinfra', 'together', 'fireworks', 'google', 'ollama']);
