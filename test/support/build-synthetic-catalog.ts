import type { CatalogEndpoint, CatalogModel } from '../../src/core/catalog/catalog-model';
import type { EndpointLiveStats, MetricsSnapshot } from '../../src/core/routing/metrics-snapshot';

/** The providers of the synthetic catalog: twelve, as many as a user with every key might route over. */
export const SYNTHETIC_PROVIDERS = ['openai', 'anthropic', 'google', 'openrouter', 'groq', 'mistral', 'deepseek', 'xai', 'azure', 'together', 'fireworks', 'deepinfra'];

/** Deterministic pseudo-random numbers (mulberry32), so every run plans over the same catalog. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A catalog the size of OpenRouter's: 500 models with 4 endpoints each over 12 providers, with
 * random prices, windows, modalities, parameters, quantizations, data policies and stats.
 * The planner benchmark and the planner's golden table both plan over it.
 */
export function buildSyntheticCatalog(random: () => number): CatalogModel[] {
  const models: CatalogModel[] = [];
  for (let index = 0; index < 500; index++) {
    const author = SYNTHETIC_PROVIDERS[index % 8] ?? 'openai';
    const endpoints: CatalogEndpoint[] = [];
    const first = Math.floor(random() * SYNTHETIC_PROVIDERS.length);
    for (let offset = 0; offset < 4; offset++) {
      const provider = SYNTHETIC_PROVIDERS[(first + offset * 3) % SYNTHETIC_PROVIDERS.length] ?? 'openai';
      const input = 0.05 + random() * 15;
      endpoints.push({
        provider,
        upstreamModelId: `${author}-model-${index}`,
        pricing: { input: String(input / 1e6), output: String((input * 4) / 1e6) },
        contextLength: [32_000, 128_000, 200_000, 1_000_000][Math.floor(random() * 4)],
        maxOutputTokens: 16_000,
        inputModalities: random() < 0.5 ? ['text', 'image'] : ['text'],
        outputModalities: ['text'],
        supportedParameters: random() < 0.8 ? ['tools', 'response_format', 'max_tokens', 'temperature'] : ['max_tokens'],
        quantization: random() < 0.3 ? 'fp8' : undefined,
        dataPolicy: { retainsPrompts: random() < 0.5, zdr: random() < 0.2 },
        stats: { latencyP50Ms: 200 + random() * 2_000, throughputP50: 20 + random() * 300, uptime30m: 0.95 + random() * 0.05 },
      });
    }
    models.push({ id: `${author}/model-${index}`, name: `Model ${index}`, tier: (1 + Math.floor(random() * 4)) as 1 | 2 | 3 | 4, endpoints });
  }
  return models;
}

/** Live metrics for the endpoints of the first 75 models, with one open circuit, drawn from `random`. */
export function buildSyntheticMetrics(catalog: readonly CatalogModel[], random: () => number): MetricsSnapshot {
  const endpoints = new Map<string, EndpointLiveStats>();
  for (const model of catalog.slice(0, 75)) {
    for (const endpoint of model.endpoints) {
      const ttft = 150 + random() * 1_500;
      const throughput = 30 + random() * 250;
      const window = {
        samples: 40,
        errors: 1,
        errorRate: 0.025,
        ttftMs: { p50: ttft, p75: ttft * 1.3, p90: ttft * 1.8, p99: ttft * 3 },
        throughput: { p50: throughput, p75: throughput * 0.9, p90: throughput * 0.7, p99: throughput * 0.4 },
      };
      endpoints.set(`${endpoint.provider}/${endpoint.upstreamModelId}`, { recent: window, hour: window });
    }
  }
  return { endpoints, openCircuits: new Set(['groq/openai-model-8']) };
}
