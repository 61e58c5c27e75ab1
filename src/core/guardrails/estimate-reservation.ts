import type { EndpointPricing } from '../catalog/catalog-model';
import { attoToNanosCeil } from '../ledger/convert-usd-units';
import { type PriceField, resolvePrices } from '../ledger/compute-cost';

/** The most a request can cost before it is sent. */
export interface ReservationEstimate {
  nanos: number;
  /** Input or output price unknown: the estimate cannot bound the bill. */
  unknownPriceFields: PriceField[];
}

/**
 * The pessimistic admission estimate: every prompt token at the dearest of the input and
 * cache-write prices (a one-hour write included), every possible output token at the dearer of the output and reasoning
 * prices, plus the per-request and per-image prices, at the long-context tier the prompt reaches.
 * Rounded up to the nanodollar. This is LiteLLM #34732's missing piece: reserve before dispatch,
 * so that concurrent requests cannot all pass a check that only some of them fit.
 */
export function estimateReservation(pricing: EndpointPricing, promptTokens: number, maxOutputTokens: number, inputImages = 0): ReservationEstimate {
  const prices = resolvePrices(pricing, promptTokens);
  const unknownPriceFields: PriceField[] = [];
  if (prices.input === undefined) {
    unknownPriceFields.push('input');
  }
  if (prices.output === undefined) {
    unknownPriceFields.push('output');
  }
  const promptPrice = max(max(prices.input, prices.cacheWrite), prices.cacheWrite1h);
  const outputPrice = max(prices.output, prices.reasoning);
  const atto =
    promptPrice * BigInt(Math.ceil(promptTokens)) +
    outputPrice * BigInt(Math.ceil(maxOutputTokens)) +
    (prices.request ?? 0n) +
    (prices.image ?? 0n) * BigInt(inputImages);
  return { nanos: attoToNanosCeil(atto), unknownPriceFields };
}

function max(a: bigint | undefined, b: bigint | undefined): bigint {
  const left = a ?? 0n;
  const right = b ?? 0n;
  return left > right ? left : right;
}
