import type { EndpointPricing } from '../catalog/catalog-model';
import { estimateReservation } from '../guardrails/estimate-reservation';
import type { ChatModel } from '../spec/chat-model';
import type { ChatRequest } from '../spec/chat-request';
import type { ChatStreamPart } from '../spec/chat-stream-part';
import { chargeStreamCost } from './charge-stream-cost';
import { nanosToUsd } from './convert-usd-units';
import type { LedgerRecord, LedgerSource } from './ledger-record';
import type { Ledger } from './open-ledger';
import { classifyOutcome, createStreamTracker } from './track-stream-outcome';

/** What the ledger middleware records about one request. */
export interface LedgerContext {
  ledger: Ledger;
  clock: () => number;
  requestId: string;
  source: LedgerSource;
  requestedModel: string;
  strategy?: string;
  /** The router's decision record, or a function returning it once the stream has ended. */
  decision?: unknown;
  /** Masked label of the key used (`maskKey`); a raw key given here is masked on write. */
  keyId?: string;
  endpointPricing: EndpointPricing;
  /** The same estimator and limit given to `withBudget`, so both price a request identically. */
  estimatePromptTokens: (request: ChatRequest) => number;
  maxOutputTokens: number;
  inputImages?: number;
  attribution?: Record<string, string>;
  /** A record that could not be written. */
  onWarning?: (message: string) => void;
}

/**
 * Wraps a model so that every stream ends with one ledger record: what was asked, what served
 * it, tokens by kind, cost as reported / computed / estimated and what was charged, latency and
 * time to first token, outcome and error. Place it outside `withBudget` so that budget refusals
 * are recorded as `blocked`. The prompt is passed on to the ledger, which stores it only when
 * prompt logging is on.
 */
export function withLedger(model: ChatModel, ctx: LedgerContext): ChatModel {
  let calls = 0;
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream(request, signal) {
      calls += 1;
      return streamWithLedger(model, ctx, request, signal, calls === 1 ? ctx.requestId : `${ctx.requestId}#${calls}`);
    },
  };
}

async function* streamWithLedger(model: ChatModel, ctx: LedgerContext, request: ChatRequest, signal: AbortSignal, id: string): AsyncGenerator<ChatStreamPart> {
  const startedAt = ctx.clock();
  const tracker = createStreamTracker(ctx.clock);
  let finished = false;
  try {
    for await (const part of model.stream(request, signal)) {
      tracker.observe(part);
      yield part;
    }
    finished = true;
  } finally {
    const observation = tracker.end(!finished || signal.aborted);
    const promptTokens = Math.max(0, Math.ceil(ctx.estimatePromptTokens(request)));
    const maxOutputTokens = Math.min(ctx.maxOutputTokens, request.maxOutputTokens ?? Infinity);
    const outcome = classifyOutcome(observation);
    const estimate = estimateReservation(ctx.endpointPricing, promptTokens, maxOutputTokens, ctx.inputImages ?? 0);
    const charge =
      outcome === 'blocked'
        ? undefined
        : chargeStreamCost({ observation, pricing: ctx.endpointPricing, promptTokens, maxOutputTokens, reservationNanos: estimate.nanos, provider: model.provider });
    const usage = observation.finish?.usage ?? charge?.usage;
    const record: LedgerRecord = {
      v: 1,
      id,
      time: new Date(startedAt).toISOString(),
      source: ctx.source,
      requested: { model: ctx.requestedModel, strategy: ctx.strategy },
      served: { model: observation.servedModelId ?? model.modelId, provider: model.provider, upstreamProvider: observation.upstreamProvider, upstreamId: observation.upstreamId },
      tokens: {
        input: { ...usage?.inputTokens },
        output: { ...usage?.outputTokens },
        raw: usage?.raw,
      },
      cost: {
        reportedUsd: charge?.reportedUsd,
        computedUsd: charge?.computedUsd,
        estimatedUsd: estimate.unknownPriceFields.length > 0 ? undefined : nanosToUsd(estimate.nanos),
        chargedUsd: charge === undefined ? 0 : nanosToUsd(charge.chargedNanos),
        basis: charge?.basis ?? 'none',
        unknownPriceFields: charge !== undefined && charge.unknownPriceFields.length > 0 ? charge.unknownPriceFields : undefined,
      },
      latencyMs: Math.max(0, (observation.endedAtMs ?? startedAt) - startedAt),
      ttftMs: observation.firstContentAtMs === undefined ? undefined : observation.firstContentAtMs - startedAt,
      outcome,
      error: observation.error === undefined ? undefined : { kind: observation.error.kind, message: observation.error.message },
      decision: typeof ctx.decision === 'function' ? (ctx.decision as () => unknown)() : ctx.decision,
      keyId: ctx.keyId,
      prompt: request.messages,
      attribution: ctx.attribution,
    };
    try {
      await ctx.ledger.append(record);
    } catch (error) {
      ctx.onWarning?.(`Could not record request ${id} in the ledger: ${(error as Error).message}`);
    }
  }
}
