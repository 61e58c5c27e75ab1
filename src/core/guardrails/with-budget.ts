import type { EndpointPricing } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors';
import { type Charge, chargeStreamCost } from '../ledger/charge-stream-cost';
import { usdToNanos } from '../ledger/convert-usd-units';
import { createStreamTracker } from '../ledger/track-stream-outcome';
import type { ChatModel } from '../spec/chat-model';
import type { ChatRequest } from '../spec/chat-request';
import type { ChatStreamPart } from '../spec/chat-stream-part';
import { describeBudgetRefusal } from './describe-budget-refusal';
import { describeCostCapRefusal } from './describe-cost-cap-refusal';
import { estimateReservation } from './estimate-reservation';
import type { EffectiveGuardrail } from './merge-guardrails';
import type { BudgetStore } from './open-budget-store';

/** What the budget middleware needs for one request on one endpoint. */
export interface BudgetContext {
  endpointPricing: EndpointPricing;
  /** A pessimistic count of the prompt's tokens (err high: it is what gets reserved). */
  estimatePromptTokens: (request: ChatRequest) => number;
  /** The endpoint's output limit; the request's own `maxOutputTokens` wins when smaller. */
  maxOutputTokens: number;
  guardrails: EffectiveGuardrail;
  store: BudgetStore;
  clock: () => number;
  requestId: string;
  /** Images in the prompt, for endpoints priced per image. */
  inputImages?: number;
  /** Called once per stream with what was charged (the ledger middleware computes the same). */
  onSettled?: (settlement: BudgetSettlement) => void;
  /** A settle that could not be written (other processes then keep seeing the reservation until this process exits). */
  onWarning?: (message: string) => void;
}

/** The outcome of one budgeted stream. */
export interface BudgetSettlement {
  reservationId: string;
  reservedNanos: number;
  charge: Charge;
}

/**
 * Wraps a model so that every stream is held to the guardrail's budgets:
 * refuse if the price is unknown (unless unpriced models are allowed) or the worst case exceeds the
 * per-request cap; reserve the worst case against every budget (an error part of kind 'budget' if
 * any would be exceeded); pass the stream through untouched; then settle per `chargeStreamCost`
 * — provider-reported cost, else computed cost, else the output seen — or release if nothing
 * was produced. Settling also happens when the caller stops reading (`return()` on the iterator).
 */
export function withBudget(model: ChatModel, ctx: BudgetContext): ChatModel {
  let calls = 0;
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream(request, signal) {
      calls += 1;
      const reservationId = calls === 1 ? ctx.requestId : `${ctx.requestId}#${calls}`;
      return streamWithBudget(model, ctx, request, signal, reservationId);
    },
  };
}

async function* streamWithBudget(model: ChatModel, ctx: BudgetContext, request: ChatRequest, signal: AbortSignal, reservationId: string): AsyncGenerator<ChatStreamPart> {
  const label = `${model.provider}/${model.modelId}`;
  const promptTokens = Math.max(0, Math.ceil(ctx.estimatePromptTokens(request)));
  const maxOutputTokens = Math.min(ctx.maxOutputTokens, request.maxOutputTokens ?? Infinity);
  const estimate = estimateReservation(ctx.endpointPricing, promptTokens, maxOutputTokens, ctx.inputImages ?? 0);

  if (estimate.unknownPriceFields.length > 0 && !ctx.guardrails.allowUnpriced) {
    yield policyError(
      `The ${estimate.unknownPriceFields.join(' and ')} price of ${label} is unknown, so its cost cannot be held against your budgets. ` +
        'Pick a model with a published price, or turn on perpetuo.guardrails.allowUnpriced in Settings › Perpetuo › Guardrails.',
    );
    return;
  }
  const cap = ctx.guardrails.maxCostPerRequestUsd;
  if (cap !== undefined && estimate.nanos > usdToNanos(cap)) {
    yield { type: 'error', error: describeCostCapRefusal(label, { nanos: estimate.nanos, promptTokens, outputTokens: maxOutputTokens, capUsd: cap }) };
    return;
  }

  let reserved;
  try {
    reserved = await ctx.store.reserve({ id: reservationId, nanos: estimate.nanos, scopeKeys: ctx.guardrails.scopeKeys, budgets: ctx.guardrails.budgets });
  } catch (error) {
    yield { type: 'error', error: PerpetuoError.from(error, { kind: 'budget' }) };
    return;
  }
  if (!reserved.ok) {
    yield { type: 'error', error: describeBudgetRefusal(reserved.status, estimate.nanos, label) };
    return;
  }

  const tracker = createStreamTracker(ctx.clock);
  let finished = false;
  try {
    try {
      for await (const part of model.stream(request, signal)) {
        tracker.observe(part);
        yield part;
      }
      finished = true;
    } catch (error) {
      // The ChatModel contract says stream never throws; one that does still gets settled.
      const wrapped = PerpetuoError.from(error, { kind: signal.aborted ? 'cancelled' : 'server', provider: model.provider, modelId: model.modelId });
      tracker.observe({ type: 'error', error: wrapped });
      finished = true;
      yield { type: 'error', error: wrapped };
    }
  } finally {
    const observation = tracker.end(!finished || signal.aborted);
    const charge = chargeStreamCost({
      observation,
      pricing: ctx.endpointPricing,
      promptTokens,
      maxOutputTokens,
      reservationNanos: estimate.nanos,
      provider: model.provider,
    });
    // Counted in this process at once; its line goes with the next batch and is synced within the
    // window. Not awaited: the stream, and the request state it holds, need not live that long.
    const written = charge.basis === 'none' ? ctx.store.release(reservationId) : ctx.store.settle(reservationId, charge.chargedNanos, ctx.guardrails.scopeKeys);
    written.catch((error: unknown) => ctx.onWarning?.(`Could not settle budget reservation ${reservationId}: ${PerpetuoError.from(error, { kind: 'budget' }).message}`));
    ctx.onSettled?.({ reservationId, reservedNanos: estimate.nanos, charge });
  }
}

function policyError(message: string): ChatStreamPart {
  return { type: 'error', error: new PerpetuoError({ kind: 'policy', message, isRetryable: false }) };
}
