import type { EndpointPricing } from '../catalog/catalog-model';
import type { Usage } from '../spec/usage';
import { ATTO_PER_USD, attoToNanos, nanosToUsd, parseUsdDecimal } from './convert-usd-units';

/** A price field of `EndpointPricing` that a cost depended on. */
export type PriceField = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h' | 'reasoning' | 'request' | 'image' | 'webSearch';

/** What each kind of usage cost, in USD (exact to the nanodollar). */
export interface CostBreakdown {
  inputUsd: number;
  cacheReadUsd: number;
  /** Cache writes of every lifetime (five-minute and one-hour). */
  cacheWriteUsd: number;
  outputUsd: number;
  reasoningUsd: number;
  requestUsd: number;
  imageUsd: number;
  /** The provider's web searches, billed per search. */
  webSearchUsd: number;
}

/** The cost of one call computed from catalog prices, with everything that made it uncertain. */
export interface ComputedCost {
  usd: number;
  /** The same amount in integer nanodollars: the unit budgets add up. */
  nanos: number;
  breakdown: CostBreakdown;
  /**
   * Prices that were needed (a non-zero token count of that kind) but unknown. `input`/`output`
   * left out of the sum; `cacheRead`/`cacheWrite` were priced at the input price instead, and
   * say so here, because billing cached tokens as plain input is a known gateway error (Bifrost #904).
   * `cacheWrite1h` was priced at the (lower) `cacheWrite` price.
   */
  unknownPriceFields: PriceField[];
  /** Token kinds the provider did not report, so the amount may be low. */
  unknownTokenKinds: Array<'input' | 'output'>;
  /** Prices whose magnitude looks like a per-million price stored as per-token (Bifrost #5243). */
  suspiciousPriceFields: PriceField[];
}

/** Extra billable units that `Usage` does not carry. */
export interface CostExtras {
  /** Number of input images, for endpoints with a per-image price. */
  inputImages?: number;
}

/** $1,000 per million tokens: no published text model costs more per token than this. */
const SUSPICIOUS_PER_TOKEN_ATTO = ATTO_PER_USD / 1000n;

type ResolvedPrices = Record<PriceField, bigint | undefined>;

/**
 * Prices one call from its usage. Cache reads, cache writes (one-hour writes apart from the
 * default five-minute ones) and reasoning tokens are priced apart when the endpoint publishes a
 * price for them; reasoning falls back to the output price (that is
 * how every provider without a separate price bills it). A long-context override applies when the
 * prompt has at least `minPromptTokens` tokens; `promptTokensForOverride` lets a caller pick the
 * tier from the prompt size it knows when the provider reported no input count.
 *
 * @see https://openrouter.ai/docs/api-reference/list-available-models (pricing fields, overrides)
 */
export function computeCost(
  usage: Usage,
  pricing: EndpointPricing,
  promptTokensForOverride?: number,
  extras: CostExtras = {},
): ComputedCost {
  const promptTokens = promptTokensForOverride ?? usage.inputTokens.total ?? sumDefined(usage.inputTokens.noCache, usage.inputTokens.cacheRead, usage.inputTokens.cacheWrite);
  const prices = resolvePrices(pricing, promptTokens);
  const unknownPriceFields: PriceField[] = [];
  const unknownTokenKinds: Array<'input' | 'output'> = [];

  const cacheRead = usage.inputTokens.cacheRead ?? 0;
  const cacheWrite = usage.inputTokens.cacheWrite ?? 0;
  // One-hour writes are part of `cacheWrite`; the rest were written for the default five minutes.
  const cacheWrite1h = Math.min(cacheWrite, usage.inputTokens.cacheWrite1h ?? 0);
  let noCache = usage.inputTokens.noCache;
  if (noCache === undefined && usage.inputTokens.total !== undefined) {
    noCache = Math.max(0, usage.inputTokens.total - cacheRead - cacheWrite);
  }
  if (noCache === undefined && usage.inputTokens.cacheRead === undefined && usage.inputTokens.cacheWrite === undefined) {
    unknownTokenKinds.push('input');
  }

  const reasoning = usage.outputTokens.reasoning ?? 0;
  let outputTotal = usage.outputTokens.total;
  if (outputTotal === undefined && (usage.outputTokens.text !== undefined || usage.outputTokens.reasoning !== undefined)) {
    outputTotal = (usage.outputTokens.text ?? 0) + reasoning;
  }
  if (outputTotal === undefined) {
    unknownTokenKinds.push('output');
  }
  const reasoningApart = prices.reasoning !== undefined && usage.outputTokens.reasoning !== undefined;
  const textOutput = Math.max(0, (outputTotal ?? 0) - (reasoningApart ? reasoning : 0));

  const charge = (field: PriceField, count: number, fallback?: PriceField): bigint => {
    if (count === 0) {
      return 0n;
    }
    const price = prices[field] ?? (fallback === undefined ? undefined : (prices[fallback] ?? prices.input));
    if (prices[field] === undefined) {
      unknownPriceFields.push(field);
    }
    return price === undefined ? 0n : price * BigInt(count);
  };

  const inputAtto = charge('input', noCache ?? 0);
  const cacheReadAtto = charge('cacheRead', cacheRead, 'input');
  const cacheWriteAtto = charge('cacheWrite', cacheWrite - cacheWrite1h, 'input') + charge('cacheWrite1h', cacheWrite1h, 'cacheWrite');
  const outputAtto = charge('output', textOutput);
  const reasoningAtto = reasoningApart ? charge('reasoning', reasoning) : 0n;
  const requestAtto = prices.request ?? 0n;
  const imageAtto = charge('image', extras.inputImages ?? 0);
  const webSearchAtto = charge('webSearch', usage.webSearchRequests ?? 0);

  const totalAtto = inputAtto + cacheReadAtto + cacheWriteAtto + outputAtto + reasoningAtto + requestAtto + imageAtto + webSearchAtto;
  const nanos = attoToNanos(totalAtto);
  return {
    usd: nanosToUsd(nanos),
    nanos,
    breakdown: {
      inputUsd: attoToUsd(inputAtto),
      cacheReadUsd: attoToUsd(cacheReadAtto),
      cacheWriteUsd: attoToUsd(cacheWriteAtto),
      outputUsd: attoToUsd(outputAtto),
      reasoningUsd: attoToUsd(reasoningAtto),
      requestUsd: attoToUsd(requestAtto),
      imageUsd: attoToUsd(imageAtto),
      webSearchUsd: attoToUsd(webSearchAtto),
    },
    unknownPriceFields,
    unknownTokenKinds,
    suspiciousPriceFields: (Object.keys(prices) as PriceField[]).filter(
      (field) => field !== 'request' && field !== 'image' && field !== 'webSearch' && (prices[field] ?? 0n) > SUSPICIOUS_PER_TOKEN_ATTO,
    ),
  };
}

/**
 * The per-unit prices that apply to a prompt of `promptTokens` tokens: the base prices, overlaid by
 * the override with the largest threshold the prompt reaches. Exported for the budget reservation,
 * which must price the same tier the bill will.
 */
export function resolvePrices(pricing: EndpointPricing, promptTokens: number | undefined): ResolvedPrices {
  let tier: Partial<Pick<EndpointPricing, 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h'>> = {};
  if (promptTokens !== undefined) {
    let best = -1;
    for (const override of pricing.overrides ?? []) {
      if (promptTokens >= override.minPromptTokens && override.minPromptTokens > best) {
        best = override.minPromptTokens;
        tier = override;
      }
    }
  }
  return {
    input: parseUsdDecimal(tier.input ?? pricing.input),
    output: parseUsdDecimal(tier.output ?? pricing.output),
    cacheRead: parseUsdDecimal(tier.cacheRead ?? pricing.cacheRead),
    cacheWrite: parseUsdDecimal(tier.cacheWrite ?? pricing.cacheWrite),
    cacheWrite1h: parseUsdDecimal(tier.cacheWrite1h ?? pricing.cacheWrite1h),
    reasoning: parseUsdDecimal(pricing.reasoning),
    request: parseUsdDecimal(pricing.request),
    image: parseUsdDecimal(pricing.image),
    webSearch: parseUsdDecimal(pricing.webSearch),
  };
}

function attoToUsd(atto: bigint): number {
  return nanosToUsd(attoToNanos(atto));
}

function sumDefined(...values: Array<number | undefined>): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}
