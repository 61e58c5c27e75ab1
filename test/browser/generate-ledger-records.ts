import type { DashboardLedgerRecord } from '../../src/vscode/dashboard/dashboard-data-source';

const MODELS = [
  { id: 'anthropic/claude-sonnet-4.5', provider: 'anthropic', inPerM: 3, outPerM: 15 },
  { id: 'openai/gpt-4o-mini', provider: 'openai', inPerM: 0.15, outPerM: 0.6 },
  { id: 'google/gemini-2.5-flash', provider: 'gemini', inPerM: 0.3, outPerM: 2.5 },
  { id: 'deepseek/deepseek-chat', provider: 'deepseek', inPerM: 0.27, outPerM: 1.1 },
  { id: 'meta-llama/llama-3.3-70b', provider: 'groq', inPerM: 0.59, outPerM: 0.79 },
] as const;

const SOURCES: DashboardLedgerRecord['source'][] = [
  { kind: 'chat' },
  { kind: 'model-picker', detail: 'github.copilot-chat' },
  { kind: 'code-action', detail: 'fix' },
  { kind: 'endpoint', detail: 'aider' },
  { kind: 'endpoint', detail: 'continue' },
];

/** The models and their list prices the generated records use, for baselines in tests. */
export const GENERATED_MODELS = MODELS;

/** A small deterministic PRNG (mulberry32), so every run generates the same log. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` ledger records spread evenly over the `spanMs` before `nowMs`, newest last, with
 * decision records shaped as the router writes them (a route plan with targets and rejected
 * candidates, and the executor's attempts). Every 9th request fell back after an error, every
 * 23rd failed outright, every 41st was blocked by a budget.
 */
export function generateLedgerRecords(count: number, nowMs: number, spanMs = 30 * 86_400_000, seed = 7): DashboardLedgerRecord[] {
  const next = random(seed);
  const records: DashboardLedgerRecord[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = nowMs - spanMs + Math.floor(((i + 0.5) * spanMs) / count);
    const model = MODELS[Math.floor(next() * MODELS.length)] ?? MODELS[0];
    const fallbackFrom = MODELS[(MODELS.indexOf(model) + 1) % MODELS.length] ?? MODELS[1];
    const source = SOURCES[Math.floor(next() * SOURCES.length)] ?? { kind: 'chat' };
    const input = 200 + Math.floor(next() * 8000);
    const cacheRead = i % 3 === 0 ? Math.floor(input / 2) : 0;
    const output = 20 + Math.floor(next() * 1200);
    const ttft = 150 + Math.floor(next() * 900);
    const latency = ttft + Math.floor(output * (8 + next() * 20));
    const blocked = i % 41 === 40;
    const failed = !blocked && i % 23 === 22;
    const fellBack = !blocked && !failed && i % 9 === 8;
    const cost = blocked || failed ? 0 : (input * model.inPerM + output * model.outPerM) / 1e6;
    const outcome: DashboardLedgerRecord['outcome'] = blocked ? 'blocked' : failed ? 'error' : 'ok';
    const plan = {
      requested: 'perpetuo/balanced',
      kind: 'route',
      strategy: 'balanced',
      sortBy: null,
      variant: null,
      targets: [
        ...(fellBack ? [{ modelId: fallbackFrom.id, provider: fallbackFrom.provider, upstreamModelId: fallbackFrom.id, estimatedCostUsd: 0.004, contextLength: 200000, why: 'balanced: score 0.91' }] : []),
        { modelId: model.id, provider: model.provider, upstreamModelId: model.id, estimatedCostUsd: Number(cost.toFixed(6)), contextLength: 128000, why: 'balanced: score 0.87' },
      ],
      rejected: [
        { modelId: 'openai/gpt-4.1', provider: 'openai', reason: 'context-length', detail: `needs ${(input + 140000).toLocaleString('en-US')} tokens, window is 128,000` },
        { modelId: 'mistral/mistral-large', provider: 'mistral', reason: 'no-key', detail: 'no API key for mistral' },
        { modelId: 'x-ai/grok-4', provider: 'xai', reason: 'zdr-required', detail: 'the workspace policy requires zero data retention' },
      ],
      explanation: `balanced route: ${model.id} via ${model.provider}; 3 candidates rejected`,
      estimates: { promptTokens: input, outputTokens: 1024, outputTokensBasis: 'default' },
      allowFallbacks: true,
      maxFallbacks: null,
      eligibleCount: fellBack ? 2 : 1,
      scope: { models: 40, outOfScope: 0, note: null },
      analysis: null,
    };
    const attempts = blocked
      ? []
      : [
          ...(fellBack ? [{ modelId: fallbackFrom.id, provider: fallbackFrom.provider, outcome: 'error', error: { kind: 'rate-limit', message: '429 Too Many Requests: retry after 20 s' }, latencyMs: 310 }] : []),
          failed
            ? { modelId: model.id, provider: model.provider, outcome: 'error', error: { kind: 'network', message: 'socket hang up' }, latencyMs: latency }
            : { modelId: model.id, provider: model.provider, outcome: 'ok', latencyMs: latency, ttftMs: ttft },
        ];
    const record: DashboardLedgerRecord = {
      id: `dec-${String(i).padStart(6, '0')}`,
      time: new Date(atMs).toISOString(),
      source,
      requested: { model: 'perpetuo/balanced', strategy: 'balanced' },
      // A failed request names the endpoint that failed; a blocked one never reached any.
      served: blocked ? {} : { model: model.id, provider: model.provider },
      tokens: blocked ? { input: {}, output: {} } : { input: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 }, output: { total: output, text: output, reasoning: 0 } },
      cost: blocked ? { chargedUsd: 0, basis: 'none' } : { reportedUsd: cost, estimatedUsd: cost * 1.1, computedUsd: cost, chargedUsd: cost, basis: 'reported' },
      latencyMs: blocked ? 2 : latency,
      ...(blocked || failed ? {} : { ttftMs: ttft }),
      outcome,
      ...(blocked ? { error: { kind: 'budget', message: 'Daily budget of $5.00 reached' } } : failed ? { error: { kind: 'network', message: 'socket hang up' } } : {}),
      decision: { plan, attempts },
      keyId: `sk-…${(i % 97).toString(16).padStart(4, '0')}`,
    };
    records.push(record);
  }
  return records;
}
