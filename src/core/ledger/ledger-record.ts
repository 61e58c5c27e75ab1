import { z } from 'zod';

const count = z.number().int().nonnegative().optional();

/** Where a request came from. */
export const ledgerSourceSchema = z.object({
  kind: z.enum(['chat', 'model-picker', 'code-action', 'endpoint']),
  /** The calling extension id (model picker), the app name (endpoint), the command (code action). */
  detail: z.string().optional(),
});

/**
 * One line of the ledger: one request, whatever its outcome. It never holds a key (only
 * `keyId`, masked) and holds prompt text only when the user turned prompt logging on.
 */
export const ledgerRecordSchema = z.object({
  /** Record format version, so that a reader can tell future records apart. */
  v: z.literal(1),
  id: z.string().min(1),
  /** ISO 8601 time the request started. */
  time: z.iso.datetime({ offset: true }),
  source: ledgerSourceSchema,
  requested: z.object({ model: z.string(), strategy: z.string().optional() }),
  served: z.object({
    model: z.string().optional(),
    provider: z.string().optional(),
    /** The provider an aggregator picked (OpenRouter's `provider` field). */
    upstreamProvider: z.string().optional(),
    /** The provider's id of the response (OpenRouter `gen-…`), for reconciling with its bill. */
    upstreamId: z.string().optional(),
  }),
  tokens: z.object({
    /** `cacheWrite1h`: of the cache writes, those kept for one hour (Anthropic), priced higher. */
    input: z.object({ total: count, noCache: count, cacheRead: count, cacheWrite: count, cacheWrite1h: count }),
    output: z.object({ total: count, text: count, reasoning: count }),
    /** The provider's usage object as sent, for audits. */
    raw: z.unknown().optional(),
  }),
  cost: z.object({
    reportedUsd: z.number().nonnegative().optional(),
    estimatedUsd: z.number().nonnegative().optional(),
    computedUsd: z.number().nonnegative().optional(),
    /** What budgets count: reported if the provider reported it, else computed, else estimated. */
    chargedUsd: z.number().nonnegative(),
    basis: z.enum(['reported', 'computed', 'estimated-partial', 'reservation', 'none']).optional(),
    unknownPriceFields: z.array(z.string()).optional(),
  }),
  latencyMs: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().optional(),
  outcome: z.enum(['ok', 'error', 'partial', 'cancelled', 'blocked']),
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
  /** The router's decision record, stored as it was given. */
  decision: z.unknown().optional(),
  /** Masked key label, e.g. `sk-…9f2c`. */
  keyId: z.string().optional(),
  /** Only with prompt logging on. */
  prompt: z.unknown().optional(),
  /** Free-form attribution (workspace, chat participant command, …). */
  attribution: z.record(z.string(), z.string()).optional(),
});

/** One ledger line. */
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>;
/** Where a request came from. */
export type LedgerSource = z.infer<typeof ledgerSourceSchema>;
