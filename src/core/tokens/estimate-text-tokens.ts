import { estimateTokensByScript } from '../tokenizer/estimate-tokens-by-script';

/**
 * Estimated token count of a piece of text, for routing decisions (context windows, cost caps).
 * It is the tokenizer module's calibrated estimate at the `route` factor — the highest of the
 * families, because the model that will serve the request is not chosen yet — so planning errs
 * on the high side. It decides routing, not billing: the ledger bills what the provider reports.
 * @see ../tokenizer/estimate-tokens-by-script.ts for the rates and where they come from.
 */
export function estimateTextTokens(text: string): number {
  return estimateTokensByScript(text, 'route');
}
