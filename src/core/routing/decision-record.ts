import { z } from 'zod';
import type { Usage } from '../spec/usage';
import { routePlanSchema, type RouteTarget, type RoutePlan } from './route-plan';

/** One target the executor walked past or called. */
export interface AttemptRecord {
  target: RouteTarget;
  /** Epoch milliseconds. */
  startedAt: number;
  /** Time to the first content part; null when none arrived. */
  ttftMs: number | null;
  durationMs: number;
  /**
   * - `success`: served the request to its finish.
   * - `partial`: failed after output had been forwarded (no fallback possible).
   * - `failed`: failed before any output.
   * - `cancelled`: the caller aborted.
   * - `skipped`: not called (circuit open, context window not larger than one that overflowed, attempt cap).
   */
  outcome: 'success' | 'partial' | 'failed' | 'cancelled' | 'skipped';
  /** Why a target was skipped. */
  skipped: string | null;
  /** `PerpetuoError.toJSON()` of the failure, redacted. */
  error: Record<string, unknown> | null;
}

/**
 * The full decision log entry of one request: the plan, every attempt with its timings and
 * error, the target that served it (the one to name in response headers and to bill), and the
 * outcome.
 */
export interface DecisionRecord {
  plan: RoutePlan;
  attempts: AttemptRecord[];
  served: RouteTarget | null;
  /** Targets called and failed before the one that served (or, when none served, before giving up). */
  fallbacks: number;
  outcome: 'success' | 'partial' | 'failed' | 'cancelled';
  startedAt: number;
  finishedAt: number;
  /** Usage of the serving call, as the provider reported it. */
  usage: Usage | null;
  reportedCostUsd: number | null;
}

const targetSchema = z.object({
  modelId: z.string(),
  provider: z.string(),
  upstreamModelId: z.string(),
  estimatedCostUsd: z.number().nullable(),
  contextLength: z.number().nullable(),
  why: z.string(),
});

const count = z.number().optional();

/** Schema of {@link DecisionRecord}, for reading decision logs back. */
export const decisionRecordSchema: z.ZodType<DecisionRecord> = z.object({
  plan: routePlanSchema,
  attempts: z.array(
    z.object({
      target: targetSchema,
      startedAt: z.number(),
      ttftMs: z.number().nullable(),
      durationMs: z.number(),
      outcome: z.enum(['success', 'partial', 'failed', 'cancelled', 'skipped']),
      skipped: z.string().nullable(),
      error: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  served: targetSchema.nullable(),
  fallbacks: z.number(),
  outcome: z.enum(['success', 'partial', 'failed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number(),
  usage: z
    .object({
      inputTokens: z.object({ total: count, noCache: count, cacheRead: count, cacheWrite: count }),
      outputTokens: z.object({ total: count, text: count, reasoning: count }),
      raw: z.unknown().optional(),
    })
    // JSON drops undefined counts; Usage spells every key out, unknown ones as undefined.
    .transform(
      (usage): Usage => ({
        inputTokens: {
          total: usage.inputTokens.total,
          noCache: usage.inputTokens.noCache,
          cacheRead: usage.inputTokens.cacheRead,
          cacheWrite: usage.inputTokens.cacheWrite,
        },
        outputTokens: { total: usage.outputTokens.total, text: usage.outputTokens.text, reasoning: usage.outputTokens.reasoning },
        ...(usage.raw === undefined ? {} : { raw: usage.raw }),
      }),
    )
    .nullable(),
  reportedCostUsd: z.number().nullable(),
});
