import type { CallSummary } from '../../core/engine/routed-call';

/**
 * The one line that ends each answer: served model · provider · why · tokens · cost · fallbacks.
 * Exported for the chat participant and the code actions, so both say the same thing.
 */
export function formatDecisionFooter(summary: CallSummary): string {
  const served = summary.served;
  const parts = [
    served ? `**${served.modelId}** via ${served.provider}` : 'no model served this request',
    served?.reason,
    summary.inputTokens !== undefined || summary.outputTokens !== undefined ? `${formatCount(summary.inputTokens)} in / ${formatCount(summary.outputTokens)} out tokens` : undefined,
    summary.costUsd !== undefined ? formatCost(summary.costUsd) : undefined,
    served && served.fallbacks > 0 ? `${served.fallbacks} fallback${served.fallbacks === 1 ? '' : 's'}` : undefined,
    `${(summary.latencyMs / 1000).toFixed(1)} s`,
  ];
  return parts.filter((p): p is string => Boolean(p)).join(' · ');
}

export function formatCost(usd: number): string {
  if (usd === 0) {
    return '$0';
  }
  return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

function formatCount(count: number | undefined): string {
  if (count === undefined) {
    return '?';
  }
  return count >= 10_000 ? `${(count / 1000).toFixed(1)}k` : String(count);
}
