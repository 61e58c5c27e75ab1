import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../../src/core/routing/circuit-breaker';
import { decisionRecordSchema } from '../../../src/core/routing/decision-record';
import { executeRoutePlan, type ExecuteRouteDeps } from '../../../src/core/routing/execute-route-plan';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import type { RoutePlan, RouteTarget } from '../../../src/core/routing/route-plan';
import type { ChatStreamPart } from '../../../src/core/spec/chat-stream-part';
import { chat } from './build-test-catalog';
import { failure, fakeModel, finish, text, type FakeModel, type ScriptStep } from './fake-chat-model';

function target(provider: string, contextLength: number | null = 128_000): RouteTarget {
  return { modelId: `m/${provider}`, provider, upstreamModelId: `${provider}-up`, estimatedCostUsd: 0.001, contextLength, why: 'test' };
}

function planOf(targets: RouteTarget[], overrides: Partial<RoutePlan> = {}): RoutePlan {
  return {
    requested: 'm/test',
    kind: 'model',
    strategy: 'cheapest',
    sortBy: null,
    variant: null,
    targets,
    rejected: [],
    explanation: 'test plan',
    estimates: { promptTokens: 10, outputTokens: 1024, outputTokensBasis: 'default' },
    allowFallbacks: true,
    maxFallbacks: null,
    eligibleCount: targets.length,
    scope: { models: 1, outOfScope: 0, note: null },
    analysis: null,
    ...overrides,
  };
}

/** A test rig: scripted models by provider, a clock that advances 10 ms per read, a manual timer. */
function rig(scripts: Record<string, ScriptStep[]>, extra: Partial<ExecuteRouteDeps> = {}) {
  let now = 1_000_000;
  const clock = (): number => (now += 10);
  const models = new Map<string, FakeModel>(Object.entries(scripts).map(([provider, script]) => [provider, fakeModel(provider, `${provider}-up`, script)]));
  const metrics = new LiveMetrics({ clock });
  const circuit = new CircuitBreaker({ clock, failureThreshold: 2, cooldownMs: 60_000 });
  const controller = new AbortController();
  const timers: Array<() => void> = [];
  const deps: ExecuteRouteDeps = {
    createModel: (chosen) => {
      const found = models.get(chosen.provider);
      if (found === undefined) throw new Error(`no fake for ${chosen.provider}`);
      return found;
    },
    metrics,
    circuit,
    clock,
    signal: controller.signal,
    setTimer: (_ms, callback) => {
      timers.push(callback);
      return () => undefined;
    },
    ...extra,
  };
  return { deps, models, metrics, circuit, controller, timers, advance: (ms: number) => (now += ms) };
}

async function collect(stream: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const types = (parts: ChatStreamPart[]): string[] => parts.map((part) => (part.type === 'error' ? `error:${part.error.kind}` : part.type));

describe('executeRoutePlan', () => {
  it('falls back on a retryable error before the first content part, hiding the failed metadata', async () => {
    const { deps, metrics } = rig({
      a: [{ type: 'response-metadata', modelId: 'from-a' }, failure('server', 500)],
      b: [{ type: 'response-metadata', modelId: 'from-b' }, text('Hi'), finish()],
    });
    const run = executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps);
    const parts = await collect(run.stream);
    assert.deepEqual(types(parts), ['response-metadata', 'text-delta', 'finish']);
    assert.equal(parts[0]?.type === 'response-metadata' && parts[0].modelId, 'from-b');
    const decision = await run.decision;
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['failed', 'success']);
    assert.equal(decision.attempts[0]?.error?.['kind'], 'server');
    assert.equal(decision.served?.provider, 'b');
    assert.equal(decision.fallbacks, 1);
    assert.equal(decision.outcome, 'success');
    assert.equal(metrics.snapshot().endpoints.get('a/a-up')?.recent.errors, 1);
    assert.equal(metrics.snapshot().endpoints.get('b/b-up')?.recent.samples, 1);
  });

  it('after the first content part, an upstream error goes out as an error part and nothing else is tried', async () => {
    const { deps, models } = rig({ a: [text('Hel'), failure('overloaded', 529)], b: [text('never'), finish()] });
    const run = executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps);
    assert.deepEqual(types(await collect(run.stream)), ['text-delta', 'error:overloaded']);
    assert.equal(models.get('b')?.calls, 0);
    const decision = await run.decision;
    assert.equal(decision.outcome, 'partial');
    assert.equal(decision.served?.provider, 'a');
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['partial']);
  });

  it("stops on the user's own key being rejected, and says which provider's key failed", async () => {
    const { deps, models, circuit } = rig({ openai: [failure('auth', 401, 'openai')], b: [text('x'), finish()] });
    const run = executeRoutePlan(planOf([target('openai'), target('b')]), chat('hi'), deps);
    const parts = await collect(run.stream);
    assert.deepEqual(types(parts), ['error:auth']);
    const error = parts[0]?.type === 'error' ? parts[0].error : undefined;
    assert.match(error?.message ?? '', /^openai rejected your API key \(401\): upstream said auth\. Check the openai key \(in VS Code: 'Perpetuo: Manage Provider Keys'; with perpetuo serve: the key's environment variable or key file\)/);
    assert.equal(error?.provider, 'openai');
    assert.equal(error?.statusCode, 401);
    assert.equal(models.get('b')?.calls, 0);
    assert.equal(circuit.state('openai/openai-up'), 'closed');
    assert.equal((await run.decision).outcome, 'failed');
  });

  it('a 403 permission error also stops', async () => {
    const { deps } = rig({ a: [failure('permission', 403)], b: [text('x'), finish()] });
    const parts = await collect(executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps).stream);
    assert.match(parts[0]?.type === 'error' ? parts[0].error.message : '', /refused your API key access to a-up \(403\)/);
  });

  it('after a context-length error, only a target with a larger window is tried', async () => {
    const { deps, models } = rig({ a: [failure('context-length', 400)], b: [text('same window')], c: [text('big'), finish()] });
    const run = executeRoutePlan(planOf([target('a', 128_000), target('b', 128_000), target('c', 1_000_000)]), chat('hi'), deps);
    assert.deepEqual(types(await collect(run.stream)), ['text-delta', 'finish']);
    assert.equal(models.get('b')?.calls, 0);
    const decision = await run.decision;
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['failed', 'skipped', 'success']);
    assert.match(decision.attempts[1]?.skipped ?? '', /context window 128000 is not larger than the 128000 that overflowed/);
  });

  it('a request error another endpoint would repeat stops without fallback', async () => {
    const { deps, models } = rig({ a: [failure('invalid-request', 400)], b: [text('x'), finish()] });
    assert.deepEqual(types(await collect(executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps).stream)), ['error:invalid-request']);
    assert.equal(models.get('b')?.calls, 0);
  });

  it('a stalled upstream that never yields is stopped at once by the abort signal', async () => {
    const { deps, models, controller } = rig({ a: ['stall'], b: [text('x'), finish()] });
    const run = executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps);
    const collected = collect(run.stream);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(models.get('a')?.calls, 1);
    controller.abort();
    assert.deepEqual(types(await collected), ['error:cancelled']);
    assert.equal(models.get('a')?.lastSignal?.aborted, true);
    assert.equal(models.get('b')?.calls, 0);
    const decision = await run.decision;
    assert.equal(decision.outcome, 'cancelled');
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['cancelled']);
  });

  it('a stall before the first content part times out and falls back (injected timer)', async () => {
    const harness = rig({ a: [{ type: 'response-metadata' }, 'stall'], b: [text('x'), finish()] }, { firstContentTimeoutMs: 5_000 });
    const run = executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), harness.deps);
    const collected = collect(run.stream);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(harness.timers.length, 1);
    harness.timers[0]?.();
    assert.deepEqual(types(await collected), ['text-delta', 'finish']);
    const decision = await run.decision;
    assert.equal(decision.attempts[0]?.error?.['kind'], 'timeout');
    assert.match(String(decision.attempts[0]?.error?.['message']), /sent no output for a-up within 5000 ms/);
    assert.equal(harness.models.get('a')?.lastSignal?.aborted, true);
  });

  it('a stream that ends without a finish after output ends with an error part, recorded as partial', async () => {
    const { deps } = rig({ a: [text('half an ans')] });
    const run = executeRoutePlan(planOf([target('a')]), chat('hi'), deps);
    assert.deepEqual(types(await collect(run.stream)), ['text-delta', 'error:malformed-response']);
    assert.equal((await run.decision).outcome, 'partial');
  });

  it('honours maxFallbacks and reports every failure when all targets fail', async () => {
    const { deps, models } = rig({ a: [failure('server', 500)], b: [failure('rate-limit', 429)], c: [text('x'), finish()] });
    const run = executeRoutePlan(planOf([target('a'), target('b'), target('c')], { maxFallbacks: 1 }), chat('hi'), deps);
    const parts = await collect(run.stream);
    assert.deepEqual(types(parts), ['error:rate-limit']);
    assert.match(parts[0]?.type === 'error' ? parts[0].error.message : '', /^All 2 targets of 'm\/test' failed: m\/a via a: server 500 upstream said server; m\/b via b: rate-limit 429/);
    assert.equal(models.get('c')?.calls, 0);
    const decision = await run.decision;
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['failed', 'failed', 'skipped']);
    assert.equal(decision.fallbacks, 2);
  });

  it('a consumer that stops reading closes the upstream and still gets a decision', async () => {
    const { deps, models } = rig({ a: [text('one'), text('two'), finish()] });
    const run = executeRoutePlan(planOf([target('a')]), chat('hi'), deps);
    for await (const part of run.stream) {
      assert.equal(part.type, 'text-delta');
      break;
    }
    const decision = await run.decision;
    assert.equal(decision.outcome, 'cancelled');
    assert.deepEqual(decision.attempts.map((attempt) => attempt.outcome), ['cancelled']);
    assert.equal(models.get('a')?.lastSignal?.aborted, true);
  });

  it('after the finish part, closes the model stream at once, though the upstream has not ended it', async () => {
    let cleanedUp = false;
    let signal: AbortSignal | undefined;
    const { deps } = rig({});
    deps.createModel = () => ({
      provider: 'a',
      modelId: 'a-up',
      async *stream(_request, given) {
        signal = given;
        try {
          yield text('one');
          yield finish(3);
          // A provider that keeps the connection open after its last event.
          await new Promise(() => undefined);
        } finally {
          cleanedUp = true;
        }
      },
    });
    const run = executeRoutePlan(planOf([target('a')]), chat('hi'), deps);
    assert.deepEqual((await collect(run.stream)).map((part) => part.type), ['text-delta', 'finish']);
    assert.equal((await run.decision).outcome, 'success');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(cleanedUp, true, "the model's clean-up ran (an adapter closes its upstream request there)");
    assert.equal(signal?.aborted, false, 'a finished attempt is closed without an abort');
  });

  it('the decision record is plain JSON that its schema reads back', async () => {
    const { deps } = rig({ a: [failure('server', 500)], b: [text('x'), finish(42)] });
    const run = executeRoutePlan(planOf([target('a'), target('b')]), chat('hi'), deps);
    await collect(run.stream);
    const decision = await run.decision;
    const copy: unknown = JSON.parse(JSON.stringify(decision));
    const parsed = decisionRecordSchema.parse(copy);
    assert.equal(parsed.served?.provider, 'b');
    assert.equal(parsed.usage?.outputTokens.total, 42);
    assert.ok((parsed.attempts[1]?.ttftMs ?? 0) > 0);
  });
});

describe('circuit breaker through the executor', () => {
  it('opens after consecutive faults, skips the endpoint, probes once after the cooldown and closes on success', async () => {
    const { deps, circuit, advance } = rig({ a: [failure('server', 502)], b: [text('x'), finish()] });
    const plan = planOf([target('a'), target('b')]);
    for (let request = 0; request < 2; request++) {
      await collect(executeRoutePlan(plan, chat('hi'), deps).stream);
    }
    assert.equal(circuit.state('a/a-up'), 'open');
    assert.deepEqual([...circuit.openEndpoints()], ['a/a-up']);
    const skipped = executeRoutePlan(plan, chat('hi'), deps);
    await collect(skipped.stream);
    assert.match((await skipped.decision).attempts[0]?.skipped ?? '', /circuit open/);

    advance(60_000);
    assert.equal(circuit.state('a/a-up'), 'half-open');
    assert.equal(circuit.tryAcquire('a/a-up'), true);
    assert.equal(circuit.tryAcquire('a/a-up'), false, 'one probe only');
    assert.ok(circuit.openEndpoints().has('a/a-up'));
    circuit.recordSuccess('a/a-up');
    assert.equal(circuit.state('a/a-up'), 'closed');
  });

  it('a failed probe opens the circuit for another cooldown', () => {
    let now = 0;
    const circuit = new CircuitBreaker({ clock: () => now, failureThreshold: 3, cooldownMs: 1_000 });
    for (let failures = 0; failures < 3; failures++) circuit.recordFailure('k');
    assert.equal(circuit.state('k'), 'open');
    now = 1_000;
    assert.equal(circuit.tryAcquire('k'), true);
    circuit.recordFailure('k');
    assert.equal(circuit.state('k'), 'open');
    now = 1_999;
    assert.equal(circuit.tryAcquire('k'), false);
    now = 2_000;
    assert.equal(circuit.tryAcquire('k'), true);
    circuit.release('k');
    assert.equal(circuit.tryAcquire('k'), true, 'a released probe slot can be taken again');
  });

  it('fewer consecutive faults than the threshold keep it closed; a success resets the count', () => {
    const circuit = new CircuitBreaker({ clock: () => 0, failureThreshold: 3 });
    circuit.recordFailure('k');
    circuit.recordFailure('k');
    circuit.recordSuccess('k');
    circuit.recordFailure('k');
    circuit.recordFailure('k');
    assert.equal(circuit.state('k'), 'closed');
    assert.equal(circuit.tryAcquire('k'), true);
  });
});
