import { z } from 'zod';

/**
 * One line of `budget-journal.jsonl`, the append-only record every process sharing a budget
 * directory reads and writes under its lock. Amounts are integer nanodollars.
 */
export const budgetJournalEntrySchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('reserve'),
    id: z.string(),
    at: z.number(),
    nanos: z.number().int().nonnegative(),
    scopes: z.array(z.string()),
    /** The reserving process, so a reservation left by a crashed process can be recognised. */
    pid: z.number().int(),
    /** Distinguishes two stores, or two lives of a reused pid. */
    owner: z.string(),
  }),
  z.object({
    op: z.literal('settle'),
    id: z.string(),
    at: z.number(),
    nanos: z.number().int().nonnegative(),
    scopes: z.array(z.string()),
    /** Why this was settled other than by its request: `owner-exited`, `compacted`. */
    reason: z.string().optional(),
    /**
     * The lease (a `reserve` line of the same process) the request drew from: that reservation
     * shrinks by what was spent, so spent + reserved stays what the lease held.
     */
    lease: z.string().optional(),
  }),
  z.object({ op: z.literal('release'), id: z.string(), at: z.number() }),
  /** First line of a compacted journal: its size then, so no process compacts again before it doubles. */
  z.object({ op: z.literal('compacted'), at: z.number(), bytes: z.number().int().nonnegative() }),
]);

/** A parsed journal line. */
export type BudgetJournalEntry = z.infer<typeof budgetJournalEntrySchema>;
