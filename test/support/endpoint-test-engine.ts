/**
 * A `RoutingEngine` for the endpoint's tests and benchmark, driving scripted `ChatStreamPart`
 * sequences instead of routing to providers. It keeps the contract the real engine keeps: one
 * stream ending in exactly one `finish` or `error`, `served()` defined from the first content
 * part on, `settled` after the end, the abort signal honoured. To run the same tests on the real
 * engine, replace `createEndpointTestEngine(...)` with `createRoutingEngine(...)` in the test.
 */
import { performance } from 'node:perf_hooks';
import type { CallSummary, RoutableModel, RouteOptions, RoutedCall, RoutingEngine, ServedTarget } from '../../src/core/engine/routed-call';
import { PerpetuoError } from '../../src/core/errors';
import { emptyUsage, isContentPart, type ChatRequest, type ChatStreamPart, type Usage } from '../../src/core/spec';

/** A part to emit, or a pause: `hang` never resumes (until abort), `wait` resumes when `until` settles. */
export type ScriptStep = ChatStreamPart | { type: 'hang' } | { type: 'wait'; until: Promise<unknown> };

export interface RecordedRoute {
  request: ChatRequest;
  options: RouteOptions;
  signal: AbortSignal;
  call: RoutedCall;
}

export interface EndpointTestEngine extends RoutingEngine {
  /** Every `route()` call, in order. */
  readonly routes: RecordedRoute[];
  /** What the next calls answer; replace between tests. */
  script: (request: ChatRequest, options: RouteOptions) => ScriptStep[];
}

export const TEST_SERVED: ServedTarget = {
  modelId: 'anthropic/claude-sonnet-4.5',
  provider: 'openrouter',
  upstreamModelId: 'anthropic/claude-sonnet-4.5',
  fallbacks: 1,
  reason: 'scripted: the primary failed, the first fallback served',
};

export const TEST_MODELS: RoutableModel[] = [
  { id: 'perpetuo/auto', name: 'Perpetuo Auto', kind: 'route', providers: ['openrouter', 'openai'], imageInput: true, toolCalling: true },
  { id: 'openai/gpt-4o', name: 'GPT-4o', kind: 'model', providers: ['openai'], contextLength: 128000, maxOutputTokens: 16384, imageInput: true, toolCalling: true },
];

export function testUsage(input: number, output: number, cacheRead?: number): Usage {
  const usage = emptyUsage();
  usage.inputTokens.total = input;
  usage.inputTokens.cacheRead = cacheRead;
  usage.inputTokens.noCache = cacheRead === undefined ? input : input - cacheRead;
  usage.outputTokens.total = output;
  return usage;
}

export function finishPart(unified: 'stop' | 'length' | 'tool-calls' = 'stop', usage: Usage = testUsage(12, 5)): ChatStreamPart {
  return { type: 'finish', finishReason: { unified, raw: undefined }, usage };
}

/** A text answer split into the given deltas. */
export function textScript(...deltas: string[]): ScriptStep[] {
  return [{ type: 'response-metadata', modelId: TEST_SERVED.upstreamModelId }, ...deltas.map((delta) => ({ type: 'text-delta' as const, delta })), finishPart()];
}

export function errorPart(kind: PerpetuoError['kind'], message: string, extra: { retryAfterSeconds?: number; isRetryable?: boolean } = {}): ChatStreamPart {
  return { type: 'error', error: new PerpetuoError({ kind, message, ...extra }) };
}

export function createEndpointTestEngine(
  options: { script?: EndpointTestEngine['script']; served?: ServedTarget; models?: RoutableModel[] } = {},
): EndpointTestEngine {
  const served = options.served ?? TEST_SERVED;
  const routes: RecordedRoute[] = [];
  let nextId = 0;
  const engine: EndpointTestEngine = {
    routes,
    script: options.script ?? (() => textScript('Hello', ', world')),
    listModels: () => options.models ?? TEST_MODELS,
    route(request, routeOptions, signal) {
      const startedAt = performance.now();
      const steps = engine.script(request, routeOptions);
      let committed = false;
      let overhead: number | undefined;
      let settle: (summary: CallSummary) => void = () => undefined;
      const settled = new Promise<CallSummary>((resolve) => (settle = resolve));
      const id = `gen-test-${++nextId}`;
      async function* stream(): AsyncGenerator<ChatStreamPart> {
        let outcome: CallSummary['outcome'] = 'ok';
        try {
          for (const step of steps) {
            if (step.type === 'hang' || step.type === 'wait') {
              const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
              await (step.type === 'hang' ? aborted : Promise.race([step.until, aborted]));
            }
            if (signal.aborted) {
              outcome = 'cancelled';
              yield { type: 'error', error: new PerpetuoError({ kind: 'cancelled', message: 'The caller aborted.' }) };
              return;
            }
            if (step.type === 'hang' || step.type === 'wait') {
              continue;
            }
            if (!committed && isContentPart(step)) {
              committed = true;
              overhead = performance.now() - startedAt;
            }
            if (step.type === 'error') outcome = committed ? 'partial' : 'error';
            yield step;
          }
        } finally {
          settle({ id, outcome, latencyMs: performance.now() - startedAt, overheadMs: overhead ?? 0, ...(committed ? { served } : {}) });
        }
      }
      const call: RoutedCall = { id, stream: stream(), served: () => (committed ? served : undefined), settled, overheadMs: () => overhead };
      routes.push({ request, options: routeOptions, signal, call });
      return call;
    },
  };
  return engine;
}
