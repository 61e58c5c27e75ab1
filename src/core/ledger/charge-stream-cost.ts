import type { EndpointPricing } from '../catalog/catalog-model';
import type { Usage } from '../spec/usage';
import { computeCost, type PriceField } from './compute-cost';
import { nanosToUsd, usdToNanos } from './convert-usd-units';
import type { StreamObservation } from './track-stream-outcome';

/** Everything needed to price a finished or interrupted stream. */
export interface ChargeInput {
  observation: StreamObservation;
  pricing: EndpointPricing;
  /** Our estimate of the prompt, used when the provider reported no input count. */
  promptTokens: number;
  maxOutputTokens: number;
  /** What was reserved for this request. */
  reservationNanos: number;
  /** The provider we called (`ChatModel.provider`). */
  provider: string;
}

/** How a charge was arrived at, most trustworthy first. */
export type ChargeBasis = 'reported' | 'computed' | 'estimated-partial' | 'reservation' | 'none';

/** The cost of one request, every way we know it. */
export interface Charge {
  /** What budgets count. */
  chargedNanos: number;
  basis: ChargeBasis;
  /** The provider's own figure (OpenRouter `usage.cost`). */
  reportedUsd: number | undefined;
  /** From catalog prices and reported usage (with estimates for counts it left out). */
  computedUsd: number | undefined;
  /** The pessimistic reservation made before dispatch. */
  estimatedUsd: number;
  unknownPriceFields: PriceField[];
  /** The usage priced: the provider's, with our estimates in place of counts it did not report. */
  usage: Usage | undefined;
}

/**
 * Providers that keep generating, and billing, after the client disconnects; for them an aborted
 * request costs what it would have cost had it finished.
 * @see https://openrouter.ai/docs/api-reference/streaming (stream cancellation)
 */
const BILLS_AFTER_ABORT = new Set(['groq', 'gemini', 'google', 'googleaistudio', 'mistral', 'bedrock', 'amazonbedrock']);

/** Output characters per token assumed when a stream stops without usage: low, so the estimate errs high. */
const CHARS_PER_TOKEN_ESTIMATE = 3;

/**
 * The settlement rule, in order:
 * 1. A finish part arrived: the provider-reported cost if it sent one, else the cost computed from
 *    its usage (any count it left out replaced by our estimate). Both are kept.
 * 2. Cancelled on a provider that bills after an abort: the full reservation.
 * 3. Output was streamed but no usage arrived (a cut or cancelled stream): the prompt plus the
 *    output seen, at ⌈chars / 3⌉ tokens, capped at the maximum output.
 * 4. Nothing was produced: nothing is charged and the reservation is released.
 */
export function chargeStreamCost(input: ChargeInput): Charge {
  const { observation, pricing } = input;
  const estimatedUsd = nanosToUsd(input.reservationNanos);
  const seenOutputTokens = Math.min(input.maxOutputTokens, Math.ceil(observation.outputChars / CHARS_PER_TOKEN_ESTIMATE));
  const finish = observation.finish;
  if (finish !== undefined) {
    const usage = fillUnknownCounts(finish.usage, input.promptTokens, seenOutputTokens);
    const computed = computeCost(usage, pricing);
    const reported = finish.reportedCostUsd;
    const hasReported = reported !== undefined && Number.isFinite(reported) && reported >= 0;
    return {
      chargedNanos: hasReported ? usdToNanos(reported) : computed.nanos,
      basis: hasReported ? 'reported' : 'computed',
      reportedUsd: hasReported ? reported : undefined,
      computedUsd: computed.usd,
      estimatedUsd,
      unknownPriceFields: computed.unknownPriceFields,
      usage,
    };
  }
  const billingProvider = (observation.upstreamProvider ?? input.provider).toLowerCase().replace(/[^a-z]/g, '');
  if (observation.cancelled && BILLS_AFTER_ABORT.has(billingProvider)) {
    return { chargedNanos: input.reservationNanos, basis: 'reservation', reportedUsd: undefined, computedUsd: undefined, estimatedUsd, unknownPriceFields: [], usage: undefined };
  }
  if (observation.firstContentAtMs !== undefined) {
    const usage: Usage = {
      inputTokens: { total: input.promptTokens, noCache: input.promptTokens, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: seenOutputTokens, text: undefined, reasoning: undefined },
    };
    const computed = computeCost(usage, pricing);
    return { chargedNanos: computed.nanos, basis: 'estimated-partial', reportedUsd: undefined, computedUsd: computed.usd, estimatedUsd, unknownPriceFields: computed.unknownPriceFields, usage };
  }
  return { chargedNanos: 0, basis: 'none', reportedUsd: undefined, computedUsd: undefined, estimatedUsd, unknownPriceFields: [], usage: undefined };
}

function fillUnknownCounts(usage: Usage, promptTokens: number, outputTokens: number): Usage {
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const inputUnknown = input.total === undefined && input.noCache === undefined && input.cacheRead === undefined && input.cacheWrite === undefined;
  const outputUnknown = output.total === undefined && output.text === undefined && output.reasoning === undefined;
  if (!inputUnknown && !outputUnknown) {
    return usage;
  }
  return {
    ...usage,
    inputTokens: inputUnknown ? { total: promptTokens, noCache: promptTokens, cacheRead: undefined, cacheWrite: undefined } : input,
    outputTokens: outputUnknown ? { total: outputTokens, text: undefined, reasoning: undefined } : output,
  };
}
