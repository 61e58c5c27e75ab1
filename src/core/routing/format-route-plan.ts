import { formatRejections } from './format-rejections';
import { formatTokenCount } from './format-token-count';
import { formatUsd } from './format-usd';
import type { RoutePlan } from './route-plan';

/**
 * A plan as a readable explanation, for the decision log view, `@perpetuo /models` and the CLI:
 * what was asked, what it was estimated at, the target chosen and why, the fallbacks in order,
 * and every rejection grouped by reason.
 */
export function formatRoutePlan(plan: RoutePlan): string {
  const lines: string[] = [];
  const how = plan.sortBy !== null ? `provider.sort ${plan.sortBy}` : plan.strategy === 'auto' ? 'auto router' : `strategy ${plan.strategy}`;
  const variant = plan.variant === null ? '' : `, variant :${plan.variant}`;
  lines.push(`Requested ${plan.requested} (${how}${variant})`);
  lines.push(plan.explanation);
  const output = plan.estimates.outputTokensBasis === 'request' ? 'your maxOutputTokens' : 'default expectation';
  lines.push(`Estimated ${formatTokenCount(plan.estimates.promptTokens)} prompt tokens and ${formatTokenCount(plan.estimates.outputTokens)} output tokens (${output}).`);
  if (plan.analysis !== null) {
    const analysis = plan.analysis;
    const attachments = Object.entries(analysis.attachments)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${count} ${kind}`);
    lines.push(
      `Prompt read as ${analysis.taskType}, ${analysis.complexity} complexity (wants tier ${analysis.desiredTier})` +
        `${attachments.length > 0 ? `, attachments: ${attachments.join(', ')}` : ''}` +
        `${analysis.signals.length > 0 ? `; signals: ${analysis.signals.join(', ')}` : ''}.`,
    );
  }
  plan.targets.forEach((target, position) => {
    const cost = target.estimatedCostUsd === null ? 'price unknown' : `est. ${formatUsd(target.estimatedCostUsd)}`;
    const head = position === 0 ? 'Chosen:' : `Fallback ${position}:`;
    lines.push(`${head} ${target.modelId} via ${target.provider} (${target.upstreamModelId}), ${cost}, because ${target.why}.`);
  });
  if (!plan.allowFallbacks) {
    lines.push('Provider fallbacks are off (provider.allow_fallbacks is false).');
  }
  const unlisted = plan.eligibleCount - plan.targets.length;
  if (unlisted > 0) {
    lines.push(`${unlisted} more eligible endpoint${unlisted === 1 ? '' : 's'} not listed (at most ${plan.maxFallbacks ?? 0} fallbacks).`);
  }
  if (plan.scope.outOfScope > 0) {
    lines.push(`${plan.scope.outOfScope} catalog models were out of scope (${plan.scope.note ?? 'policy'}).`);
  }
  if (plan.rejected.length > 0) {
    lines.push(`Rejected ${plan.rejected.length}:`);
    for (const line of formatRejections(plan.rejected)) {
      lines.push(`  - ${line}`);
    }
  }
  return lines.join('\n');
}
