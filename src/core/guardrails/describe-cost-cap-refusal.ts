import { PerpetuoError } from '../errors';
import { nanosToUsd } from '../ledger/convert-usd-units';
import { formatUsd } from '../routing/format-usd';

/** What a request could cost on one target (its budget reservation), against the per-request cap. */
export interface CostCapExcess {
  nanos: number;
  promptTokens: number;
  outputTokens: number;
  capUsd: number;
}

/** The figures, as a rejection in the decision log gives them: `could cost up to $0.96 (14 prompt tokens, up to 64000 output tokens), above your $0.10/request cap`. */
export function describeCostCapExcess(excess: CostCapExcess): string {
  return `could cost up to ${formatUsd(nanosToUsd(excess.nanos))} (${excess.promptTokens} prompt tokens, up to ${excess.outputTokens} output tokens), above your ${formatUsd(excess.capUsd)}/request cap`;
}

/**
 * The 'policy' error of a request no target fits under the per-request cap: the target, its
 * figures, and what brings it under (a request that sets no maximum output is reserved at the
 * model's own).
 */
export function describeCostCapRefusal(modelLabel: string, excess: CostCapExcess): PerpetuoError {
  return new PerpetuoError({
    kind: 'policy',
    message:
      `${modelLabel} ${describeCostCapExcess(excess)}. ` +
      'Set a lower maximum output (max_tokens), pick a cheaper model, or raise maxCostPerRequestUsd in Settings › Perpetuo › Guardrails or .perpetuo/policy.json.',
    isRetryable: false,
  });
}
