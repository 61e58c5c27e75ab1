import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { CatalogSnapshot } from '../../../src/core/catalog/catalog-snapshot-schema';

/** An endpoint with plausible defaults; override what a test is about. */
export function buildTestEndpoint(overrides: Partial<CatalogEndpoint> = {}): CatalogEndpoint {
  return {
    provider: 'anthropic',
    upstreamModelId: 'claude-sonnet-4-5',
    pricing: { input: '0.000003', output: '0.000015' },
    contextLength: 200000,
    maxOutputTokens: 64000,
    inputModalities: ['text', 'image'],
    outputModalities: ['text'],
    supportedParameters: ['max_tokens', 'tools', 'tool_choice'],
    dataPolicy: {},
    ...overrides,
  };
}

/** A three-model snapshot: one model served directly and via OpenRouter, one OpenRouter-only, one Groq-only. */
export function buildTestSnapshot(overrides: Partial<CatalogSnapshot> = {}): CatalogSnapshot {
  const models: CatalogModel[] = [
    {
      id: 'anthropic/claude-sonnet-4.5',
      name: 'Claude Sonnet 4.5',
      tier: 1,
      aliases: ['claude-sonnet-4-5-20250929'],
      endpoints: [
        buildTestEndpoint(),
        buildTestEndpoint({ provider: 'openrouter', upstreamModelId: 'anthropic/claude-sonnet-4.5', contextLength: 1000000 }),
      ],
    },
    {
      id: 'meta-llama/llama-3.3-70b-instruct',
      name: 'Llama 3.3 70B Instruct',
      tier: 3,
      endpoints: [
        buildTestEndpoint({ provider: 'groq', upstreamModelId: 'llama-3.3-70b-versatile', pricing: { input: '0.00000059', output: '0.00000079' } }),
      ],
    },
    {
      id: 'qwen/qwen3-max',
      name: 'Qwen3 Max',
      endpoints: [buildTestEndpoint({ provider: 'openrouter', upstreamModelId: 'qwen/qwen3-max', pricing: { input: '0.0000012', output: '0.000006' } })],
    },
  ];
  return {
    schemaVersion: 1,
    source: 'test snapshot',
    snapshotDate: '2026-07-02',
    generatedAt: '2026-07-02T00:00:00.000Z',
    models,
    ...overrides,
  };
}
