import { PerpetuoError } from '../errors/perpetuo-error';
import { whereKeysLive } from '../errors/where-keys-live';
import type { ChatModel } from '../spec/chat-model';
import type { ChatRequest } from '../spec/chat-request';
import { isContentPart, type ChatStreamPart } from '../spec/chat-stream-part';
import type { Usage } from '../spec/usage';
import type { CircuitBreaker } from './circuit-breaker';
import type { AttemptRecord, DecisionRecord } from './decision-record';
import { isEndpointFault } from './is-endpoint-fault';
import type { MetricsRecorder } from './metrics-recorder';
import { endpointKey } from './metrics-snapshot';
import type { RoutePlan, RouteTarget } from './route-plan';

/** What the executor needs from its caller; every side effect is injected. */
export interface ExecuteRouteDeps {
  /** The ChatModel for one target (the adapter, usually wrapped by guardrails and the ledger). */
  createModel(target: RouteTarget): ChatModel;
  metrics: MetricsRecorder;
  circuit: CircuitBreaker;
  /** Epoch milliseconds. */
  clock: () => number;
  /** Aborting it stops the current call at once and ends the stream with a `cancelled` error part. */
  signal: AbortSignal;
  /**
   * Give up on a target that has produced no content part after this long and fall back: a
   * stalled upstream must not hold the request before the commit point. Off when undefined.
   */
  firstContentTimeoutMs?: number;
  /** Timer used for `firstContentTimeoutMs`; returns a cancel function. Defaults to setTimeout. */
  setTimer?: (ms: number, callback: () => void) => () => void;
}

/** A running request: the stream to forward, and its decision record, settled when the stream ends. */
export interface RouteExecution {
  /** Lazy: nothing is called until it is iterated. */
  stream: AsyncIterable<ChatStreamPart>;
  /** Resolves (never rejects) once the stream has ended, failed, been aborted or been abandoned by its consumer. */
  decision: Promise<DecisionRecord>;
}

/** How one call ended, as the loop over targets needs it. */
interface CallResult {
  outcome: 'success' | 'partial' | 'failed' | 'cancelled';
  ttftMs: number | undefined;
  error: PerpetuoError | undefined;
  usage: Usage | undefined;
  reportedCostUsd: number | undefined;
}

const ABORTED = Symbol('aborted');
/** Why an attempt's upstream request is closed once the attempt is over, whatever its outcome. */
const ATTEMPT_OVER = 'attempt over';

/**
 * Walks a plan's targets: peeks each stream until its first content part and, before that
 * commit point, moves on after a retryable error, a stall, or a context-length error (then only
 * to a larger window); stops on a rejected key (401/403) and on errors another endpoint would
 * repeat. After the commit point every part is forwarded as it comes, and an upstream error
 * goes out as an error part, recorded as partial. Every attempt is timed and recorded; the
 * circuit breaker and the live metrics hear about every endpoint fault.
 * @see REFERENCE.md §2 "Streaming commit point"
 */
export function executeRoutePlan(plan: RoutePlan, request: ChatRequest, deps: ExecuteRouteDeps): RouteExecution {
  let settle: (record: DecisionRecord) => void = () => undefined;
  const decision = new Promise<DecisionRecord>((resolve) => {
    settle = resolve;
  });
  return { stream: run(plan, request, deps, (record) => settle(record)), decision };
}

async function* run(plan: RoutePlan, request: ChatRequest, deps: ExecuteRouteDeps, settle: (record: DecisionRecord) => void): AsyncGenerator<ChatStreamPart> {
  const startedAt = deps.clock();
  const attempts: AttemptRecord[] = [];
  const maxCalls = plan.maxFallbacks === null ? Number.POSITIVE_INFINITY : plan.maxFallbacks + 1;
  let calls = 0;
  let served: RouteTarget | null = null;
  let outcome: DecisionRecord['outcome'] | undefined;
  let usage: Usage | null = null;
  let reportedCostUsd: number | null = null;
  let overflowedWindow: number | undefined;
  const failures: Array<{ target: RouteTarget; error: PerpetuoError }> = [];
  let inFlight: { target: RouteTarget; key: string; startedAt: number } | undefined;
  try {
    for (const target of plan.targets) {
      if (deps.signal.aborted) {
        break;
      }
      const skip = (reason: string): void => {
        attempts.push({ target, startedAt: deps.clock(), ttftMs: null, durationMs: 0, outcome: 'skipped', skipped: reason, error: null });
      };
      if (calls >= maxCalls) {
        skip(`attempt cap reached (maxFallbacks ${plan.maxFallbacks ?? 0})`);
        continue;
      }
      if (overflowedWindow !== undefined && (target.contextLength === null || target.contextLength <= overflowedWindow)) {
        skip(`context window ${target.contextLength ?? 'unknown'} is not larger than the ${overflowedWindow} that overflowed`);
        continue;
      }
      const key = endpointKey(target.provider, target.upstreamModelId);
      if (!deps.circuit.tryAcquire(key)) {
        skip('circuit open: the endpoint failed repeatedly and is cooling down');
        continue;
      }
      calls++;
      const attemptStart = deps.clock();
      inFlight = { target, key, startedAt: attemptStart };
      const result: CallResult = yield* callTarget(target, request, deps);
      inFlight = undefined;
      const durationMs = deps.clock() - attemptStart;
      attempts.push({
        target,
        startedAt: attemptStart,
        ttftMs: result.ttftMs ?? null,
        durationMs,
        outcome: result.outcome,
        skipped: null,
        error: result.error?.toJSON() ?? null,
      });
      report(key, result, durationMs, deps);

      if (result.outcome === 'success' || result.outcome === 'partial') {
        served = target;
        outcome = result.outcome;
        usage = result.usage ?? null;
        reportedCostUsd = result.reportedCostUsd ?? null;
        return;
      }
      if (result.outcome === 'cancelled') {
        break;
      }
      const error = result.error ?? new PerpetuoError({ kind: 'server', message: 'the call failed without an error', provider: target.provider });
      failures.push({ target, error });
      if (error.kind === 'auth' || error.kind === 'permission') {
        outcome = 'failed';
        yield { type: 'error', error: keyRejected(target, error) };
        return;
      }
      if (error.kind === 'context-length') {
        overflowedWindow = Math.max(overflowedWindow ?? 0, target.contextLength ?? plan.estimates.promptTokens);
        continue;
      }
      if (!movesOn(error)) {
        outcome = 'failed';
        yield { type: 'error', error };
        return;
      }
    }
    if (deps.signal.aborted) {
      outcome = 'cancelled';
      yield { type: 'error', error: cancelled(deps.signal) };
      return;
    }
    outcome = 'failed';
    yield { type: 'error', error: allFailed(plan, failures, attempts) };
  } finally {
    // Also reached when the consumer stops reading mid-call: the request was abandoned.
    if (inFlight !== undefined) {
      const now = deps.clock();
      attempts.push({ target: inFlight.target, startedAt: inFlight.startedAt, ttftMs: null, durationMs: now - inFlight.startedAt, outcome: 'cancelled', skipped: null, error: null });
      deps.circuit.release(inFlight.key);
    }
    settle({
      plan,
      attempts,
      served,
      fallbacks: failures.length,
      outcome: outcome ?? 'cancelled',
      startedAt,
      finishedAt: deps.clock(),
      usage,
      reportedCostUsd,
    });
  }
}

/**
 * Errors after which another endpoint may well succeed: the endpoint's own faults, a missing
 * deployment (`not-found`) and an exhausted balance (`payment`) at that provider. A request the
 * provider called invalid, or content it filtered, would fail the same way elsewhere.
 */
function movesOn(error: PerpetuoError): boolean {
  return isEndpointFault(error) || error.kind === 'not-found' || error.kind === 'payment';
}

/** One call: buffer until the first content part, then forward everything. */
async function* callTarget(target: RouteTarget, request: ChatRequest, deps: ExecuteRouteDeps): AsyncGenerator<ChatStreamPart, CallResult> {
  const started = deps.clock();
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort(deps.signal.reason);
  deps.signal.addEventListener('abort', forwardAbort, { once: true });
  let stalled = false;
  const cancelTimer =
    deps.firstContentTimeoutMs === undefined
      ? undefined
      : (deps.setTimer ?? defaultTimer)(deps.firstContentTimeoutMs, () => {
          stalled = true;
          controller.abort(new Error('first-content timeout'));
        });
  let iterator: AsyncIterator<ChatStreamPart> | undefined;
  let reader: AbortableReader | undefined;
  let ttftMs: number | undefined;
  let committed = false;
  /** The finish part was read: the stream is complete. */
  let finished = false;
  const buffered: ChatStreamPart[] = [];
  const result = (outcome: CallResult['outcome'], error?: PerpetuoError, finish?: Extract<ChatStreamPart, { type: 'finish' }>): CallResult => ({
    outcome,
    ttftMs,
    error,
    usage: finish?.usage,
    reportedCostUsd: finish?.reportedCostUsd,
  });
  try {
    iterator = deps.createModel(target).stream(request, controller.signal)[Symbol.asyncIterator]();
    reader = readUntilAborted(iterator, controller.signal);
    for (;;) {
      let next: IteratorResult<ChatStreamPart> | typeof ABORTED;
      try {
        next = await reader.next();
      } catch (thrown) {
        // The ChatModel contract says streams never throw; one that does is an upstream fault.
        const error = PerpetuoError.from(thrown, { kind: 'server', provider: target.provider, modelId: target.upstreamModelId });
        if (committed) {
          yield { type: 'error', error };
          return result('partial', error);
        }
        return result('failed', error);
      }
      if (next === ABORTED) {
        if (deps.signal.aborted) {
          const error = cancelled(deps.signal);
          if (committed) {
            yield { type: 'error', error };
          }
          return result('cancelled', error);
        }
        const error = new PerpetuoError({
          kind: 'timeout',
          message: `${target.provider} sent no output for ${target.upstreamModelId} within ${deps.firstContentTimeoutMs ?? 0} ms`,
          provider: target.provider,
          modelId: target.upstreamModelId,
        });
        return result(stalled ? 'failed' : 'cancelled', error);
      }
      if (next.done) {
        const error = new PerpetuoError({
          kind: 'malformed-response',
          message: `The stream from ${target.provider} (${target.upstreamModelId}) ended ${committed ? 'without a finish' : 'before any output'}`,
          provider: target.provider,
          modelId: target.upstreamModelId,
        });
        if (committed) {
          yield { type: 'error', error };
          return result('partial', error);
        }
        return result('failed', error);
      }
      const part = next.value;
      if (!committed) {
        if (part.type === 'error') {
          return result('failed', part.error);
        }
        if (!isContentPart(part) && part.type !== 'finish') {
          // Metadata waits: if this target fails before output, the client never hears of it.
          buffered.push(part);
          continue;
        }
        committed = true;
        cancelTimer?.();
        if (isContentPart(part)) {
          ttftMs = deps.clock() - started;
        }
        yield* buffered;
        buffered.length = 0;
      }
      yield part;
      if (part.type === 'error') {
        return result('partial', part.error);
      }
      if (part.type === 'finish') {
        finished = true;
        return result('success', undefined, part);
      }
    }
  } finally {
    cancelTimer?.();
    deps.signal.removeEventListener('abort', forwardAbort);
    reader?.dispose();
    // Finished: the model's generators wait at the yield of the finish part, so return() runs
    // their clean-up now and the adapter's closes its own upstream request, with no abort to
    // dispatch through every layer on each successful request. Abandoned by the consumer, failed
    // or stalled: a generator may be waiting on the network, where return() would wait too, so the
    // upstream is closed through the signal first. The reason is a string, not an Error: Node's
    // stream destroy reads an Error's stack.
    if (!finished) {
      controller.abort(ATTEMPT_OVER);
    }
    void iterator?.return?.()?.catch(() => undefined);
  }
}

/** Reads parts until the signal fires. */
interface AbortableReader {
  /** The next part, or ABORTED as soon as the signal fires, even if the upstream never answers. */
  next(): Promise<IteratorResult<ChatStreamPart> | typeof ABORTED>;
  /** Stops listening to the signal. */
  dispose(): void;
}

/**
 * One abort listener for the whole attempt, not one added and removed per part: a stream of
 * thousands of parts would otherwise pay two EventTarget calls for each.
 */
function readUntilAborted(iterator: AsyncIterator<ChatStreamPart>, signal: AbortSignal): AbortableReader {
  let wake: ((value: typeof ABORTED) => void) | undefined;
  const onAbort = (): void => wake?.(ABORTED);
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    next() {
      if (signal.aborted) {
        return Promise.resolve(ABORTED);
      }
      return new Promise((resolve, reject) => {
        wake = resolve;
        iterator.next().then(
          (value) => {
            wake = undefined;
            resolve(value);
          },
          (error: unknown) => {
            wake = undefined;
            reject(error);
          },
        );
      });
    },
    dispose() {
      wake = undefined;
      signal.removeEventListener('abort', onAbort);
    },
  };
}

function report(key: string, result: CallResult, durationMs: number, deps: ExecuteRouteDeps): void {
  const at = deps.clock();
  if (result.outcome === 'success') {
    deps.circuit.recordSuccess(key);
    deps.metrics.record(key, { at, ok: true, ttftMs: result.ttftMs, durationMs, outputTokens: result.usage?.outputTokens.total });
    return;
  }
  if (result.error !== undefined && result.outcome !== 'cancelled' && isEndpointFault(result.error)) {
    deps.circuit.recordFailure(key);
    deps.metrics.record(key, { at, ok: false, ttftMs: result.ttftMs, durationMs });
    return;
  }
  deps.circuit.release(key);
}

function keyRejected(target: RouteTarget, error: PerpetuoError): PerpetuoError {
  const status = error.statusCode === undefined ? '' : ` (${error.statusCode})`;
  const what = error.kind === 'auth' ? 'rejected your API key' : `refused your API key access to ${target.upstreamModelId}`;
  return new PerpetuoError({
    kind: error.kind,
    message: `${target.provider} ${what}${status}: ${error.message}. Check ${whereKeysLive(target.provider)}; no other provider was tried, since your own key failed.`,
    provider: target.provider,
    modelId: target.upstreamModelId,
    statusCode: error.statusCode,
    isRetryable: false,
    providerCode: error.providerCode,
    cause: error,
  });
}

function cancelled(signal: AbortSignal): PerpetuoError {
  return new PerpetuoError({ kind: 'cancelled', message: 'The request was cancelled.', cause: signal.reason });
}

function allFailed(plan: RoutePlan, failures: ReadonlyArray<{ target: RouteTarget; error: PerpetuoError }>, attempts: readonly AttemptRecord[]): PerpetuoError {
  const last = failures.at(-1);
  if (last === undefined) {
    const reasons = attempts.map((attempt) => `${attempt.target.modelId} via ${attempt.target.provider}: ${attempt.skipped ?? attempt.outcome}`);
    return new PerpetuoError({ kind: 'no-eligible-model', message: `No target of '${plan.requested}' could be called: ${reasons.join('; ')}.`, statusCode: 503 });
  }
  if (failures.length === 1) {
    return last.error;
  }
  const lines = failures.map(({ target, error }) => `${target.modelId} via ${target.provider}: ${error.kind}${error.statusCode === undefined ? '' : ` ${error.statusCode}`} ${error.message}`);
  return new PerpetuoError({
    kind: last.error.kind,
    message: `All ${failures.length} targets of '${plan.requested}' failed: ${lines.join('; ')}`,
    provider: last.error.provider,
    modelId: last.error.modelId,
    statusCode: last.error.statusCode,
    isRetryable: last.error.isRetryable,
    retryAfterSeconds: last.error.retryAfterSeconds,
  });
}

function defaultTimer(ms: number, callback: () => void): () => void {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
}
