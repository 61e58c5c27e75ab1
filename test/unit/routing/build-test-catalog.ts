import type { CatalogEndpoint, CatalogModel } from '../../../src/core/catalog/catalog-model';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import type { EndpointLiveStats, MetricsSnapshot, WindowStats } from '../../../src/core/routing/metrics-snapshot';
import type { RoutingPolicy } from '../../../src/core/routing/routing-policy';

/** An endpoint with sensible defaults: text in, tools supported, $1/$2 per M tokens, 128k window, not ZDR. */
export function endpoint(provider: string, overrides: Partial<CatalogEndpoint> = {}): CatalogEndpoint {
  return {
    provider,
    upstreamModelId: overrides.upstreamModelId ?? `${provider}-model`,
    pricing: { input: '0.000001', output: '0.000002' },
    contextLength: 128_000,
    maxOutputTokens: 16_000,
    inputModalities: ['text'],
    outputModalities: ['text'],
    supportedParameters: ['tools', 'tool_choice', 'response_format', 'temperature', 'max_tokens'],
    dataPolicy: { retainsPrompts: true, trainsOnPrompts: false, zdr: false },
    ...overrides,
  };
}

/** A price per million tokens as the catalog stores it: USD per token, as a string. */
export function perMillion(usd: number): string {
  return String(usd / 1_000_000);
}

export function model(id: string, endpoints: CatalogEndpoint[], overrides: Partial<CatalogModel> = {}): CatalogModel {
  return { id, name: id, endpoints, ...overrides };
}

/** A plain user request. */
export function chat(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra };
}

export function policy(overrides: Partial<RoutingPolicy> = {}): RoutingPolicy {
  return { strategy: 'cheapest', ...overrides };
}

export function windowStats(overrides: Partial<WindowStats>): WindowStats {
  return { samples: 20, errors: 0, errorRate: 0, ...overrides };
}

/** A snapshot where each listed endpoint has the same stats in both windows. */
export function snapshot(entries: Record<string, Partial<WindowStats>>, openCircuits: string[] = []): MetricsSnapshot {
  const endpoints = new Map<string, EndpointLiveStats>();
  for (const [key, stats] of Object.entries(entries)) {
    endpoints.set(key, { recent: windowStats(stats), hour: windowStats(stats) });
  }
  return { endpoints, openCircuits: new Set(openCircuits) };
}

export function percentiles(p50: number, p75 = p50, p90 = p75, p99 = p90): { p50: number; p75: number; p90: number; p99: number } {
  return { p50, p75, p90, p99 };
}
