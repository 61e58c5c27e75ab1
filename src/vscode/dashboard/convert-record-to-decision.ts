import { z } from 'zod';
import type { AttemptView, DecisionDetail, PlanTargetView, RejectedCandidateView } from '../../shared/webview-protocol';
import type { DashboardLedgerRecord } from './dashboard-data-source';
import { convertRecordToRow } from './convert-record-to-row';

/*
 * The decision is stored "as it was given" (the ledger keeps it opaque), so it is read here
 * leniently: either a route plan (src/core/routing/route-plan.ts) or `{ plan, attempts }`. Each
 * target, rejection and attempt is read on its own, so one odd entry (an older record format, a
 * field renamed since) drops that entry, not the whole detail; when nothing can be read as a
 * plan the raw JSON is shown instead, so the user still sees what was logged.
 */
const targetSchema = z.looseObject({
  modelId: z.string(),
  provider: z.string(),
  estimatedCostUsd: z.number().nullable().optional(),
  why: z.string().optional(),
});
const rejectedSchema = z.looseObject({ modelId: z.string(), provider: z.string(), reason: z.string(), detail: z.string().optional() });
const errorSchema = z.looseObject({ kind: z.string().optional(), message: z.string() });
const attemptSchema = z.looseObject({
  modelId: z.string().optional(),
  model: z.string().optional(),
  provider: z.string(),
  outcome: z.string().optional(),
  ok: z.boolean().optional(),
  error: z.union([errorSchema, z.string()]).optional(),
  latencyMs: z.number().optional(),
  ttftMs: z.number().optional(),
});
const planSchema = z.looseObject({
  kind: z.string().optional(),
  strategy: z.string().optional(),
  explanation: z.string().optional(),
  targets: z.array(z.unknown()),
  rejected: z.array(z.unknown()).optional(),
  estimates: z.looseObject({ promptTokens: z.number(), outputTokens: z.number() }).optional(),
});

/** The full decision of one request, as the detail pane shows it. */
export function convertRecordToDecision(record: DashboardLedgerRecord): DecisionDetail {
  const decision = record.decision;
  const container = isObject(decision) ? decision : {};
  const planCandidate = isObject(container.plan) ? container.plan : decision;
  const plan = planSchema.safeParse(planCandidate);
  const attempts = readArray(Array.isArray(container.attempts) ? container.attempts.map(flattenAttempt) : container.attempts, attemptSchema).map(
    (attempt): AttemptView => ({
      modelId: attempt.modelId ?? attempt.model ?? '',
      provider: attempt.provider,
      outcome: attempt.outcome ?? (attempt.ok === undefined ? (attempt.error === undefined ? 'unknown' : 'error') : attempt.ok ? 'ok' : 'error'),
      ...(attempt.error === undefined ? {} : { error: typeof attempt.error === 'string' ? { kind: 'error', message: attempt.error } : { kind: attempt.error.kind ?? 'error', message: attempt.error.message } }),
      ...(attempt.latencyMs === undefined ? {} : { latencyMs: attempt.latencyMs }),
      ...(attempt.ttftMs === undefined ? {} : { ttftMs: attempt.ttftMs }),
    }),
  );
  const detail: DecisionDetail = {
    row: convertRecordToRow(record),
    tokens: { input: { ...record.tokens.input }, output: { ...record.tokens.output } },
    cost: { ...record.cost },
    plan: plan.success
      ? {
          kind: plan.data.kind,
          strategy: plan.data.strategy,
          explanation: plan.data.explanation,
          targets: readArray(plan.data.targets, targetSchema).map(
            (target): PlanTargetView => ({ modelId: target.modelId, provider: target.provider, estimatedCostUsd: target.estimatedCostUsd ?? null, why: target.why ?? '' }),
          ),
          rejected: readArray(plan.data.rejected, rejectedSchema).map(
            (rejected): RejectedCandidateView => ({ modelId: rejected.modelId, provider: rejected.provider, reason: rejected.reason, detail: rejected.detail ?? '' }),
          ),
          ...(plan.data.estimates === undefined ? {} : { estimates: { promptTokens: plan.data.estimates.promptTokens, outputTokens: plan.data.estimates.outputTokens } }),
        }
      : null,
    attempts,
  };
  if (record.requested.strategy !== undefined) detail.strategy = record.requested.strategy;
  if (record.served.upstreamProvider !== undefined) detail.upstreamProvider = record.served.upstreamProvider;
  if (record.served.upstreamId !== undefined) detail.upstreamId = record.served.upstreamId;
  if (record.keyId !== undefined) detail.keyId = record.keyId;
  if (record.error !== undefined) detail.error = { kind: record.error.kind, message: record.error.message };
  if (!plan.success && decision !== undefined) detail.rawDecision = JSON.stringify(decision, null, 2);
  return detail;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readArray<T>(value: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  for (const item of value) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/**
 * The executor's attempts (src/core/routing/decision-record.ts) nest the endpoint under `target`,
 * time the call as `durationMs` and use `null` for "none"; the detail pane reads flat fields.
 */
function flattenAttempt(attempt: unknown): unknown {
  if (!isObject(attempt) || !isObject(attempt.target)) {
    return attempt;
  }
  const { target, durationMs, ttftMs, error, skipped, outcome } = attempt;
  return {
    modelId: target.modelId,
    provider: target.provider,
    outcome: skipped ? `skipped: ${String(skipped)}` : outcome,
    ...(error === null || error === undefined ? {} : { error }),
    ...(typeof durationMs === 'number' ? { latencyMs: durationMs } : {}),
    ...(typeof ttftMs === 'number' ? { ttftMs } : {}),
  };
}
