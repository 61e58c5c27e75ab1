import { z } from 'zod';

/*
 * The shape of one guardrail, as written in `.perpetuo/policy.json` and produced from VS Code
 * settings. Objects are strict so that a typo (`"budjet"`) is an error naming the key instead of a
 * guardrail that silently does nothing.
 */

const positiveUsd = z
  .number({ error: 'expected a positive number of US dollars' })
  .positive({ error: 'expected a positive number of US dollars' })
  .finite({ error: 'expected a positive number of US dollars' });

const modelGlobs = z
  .array(z.string({ error: 'expected a model id or glob such as "anthropic/*" or "*:free"' }).min(1, { error: 'expected a non-empty glob' }), {
    error: 'expected a list of model ids or globs, e.g. ["anthropic/*", "*:free"]',
  })
  .describe('Model ids or globs (`*` matches anything, `?` one character), matched case-insensitively against `author/model`.');

/** A calendar period in local time, or a rolling window of the last N hours. */
export const budgetPeriodSchema = z.union(
  [
    z.enum(['daily', 'weekly', 'monthly']),
    z.strictObject({
      rollingHours: z
        .number({ error: 'expected a number of hours between 1 and 8784' })
        .min(1, { error: 'expected a number of hours between 1 and 8784' })
        .max(8784, { error: 'expected a number of hours between 1 and 8784' }),
    }),
  ],
  { error: 'expected "daily", "weekly", "monthly" or { "rollingHours": N }' },
);

/** A spending limit over a period, and what to do as it nears. */
export const budgetConfigSchema = z.strictObject({
  amountUsd: positiveUsd.describe('The most this scope may spend in one period, in USD.'),
  period: budgetPeriodSchema.describe('Calendar periods reset at local midnight (weeks start on Monday); a rolling window frees spend as it ages out.'),
  warnAtPercent: z
    .number({ error: 'expected a percentage between 1 and 100' })
    .min(1, { error: 'expected a percentage between 1 and 100' })
    .max(100, { error: 'expected a percentage between 1 and 100' })
    .optional()
    .describe('From this share of the budget on, Perpetuo warns (and downgrades, if `nearLimit` says so). Default 80.'),
  nearLimit: z
    .enum(['warn', 'downgrade-cheaper', 'downgrade-free'], { error: 'expected "warn", "downgrade-cheaper" or "downgrade-free"' })
    .optional()
    .describe('Past `warnAtPercent`: only warn, route by the cheapest strategy, or restrict to `:free` models. At 100 % paid requests are always blocked.'),
});

/** Every control a guardrail has; all optional, so a layer only says what it cares about. */
export const guardrailSchema = z.strictObject({
  budget: budgetConfigSchema.optional(),
  budgets: z.array(budgetConfigSchema, { error: 'expected a list of budgets' }).optional().describe('More budgets for the same scope, e.g. a daily and a monthly one.'),
  allowModels: modelGlobs.optional(),
  denyModels: modelGlobs.optional(),
  allowProviders: z
    .array(z.string({ error: 'expected a provider id such as "anthropic"' }).min(1), { error: 'expected a list of provider ids, e.g. ["anthropic", "openai"]' })
    .optional()
    .describe('Provider ids requests may go to; every other provider is excluded.'),
  requireZdr: z.boolean({ error: 'expected true or false' }).optional().describe('Only route to endpoints with zero data retention.'),
  maxCostPerRequestUsd: positiveUsd.optional().describe('Pass over any model whose worst-case cost for a request (its prompt and its maximum output, or the model\'s when the request sets none) is above this, in USD; a request no model is under is refused.'),
  allowUnpriced: z
    .boolean({ error: 'expected true or false' })
    .optional()
    .describe('Allow models whose price is unknown. Their spend cannot be reserved in advance, so budgets hold only after the fact.'),
});

/** `.perpetuo/policy.json`: the team-shareable guardrails of one workspace. */
export const policyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, { error: 'expected 1 (the only policy file version)' }).optional(),
  guardrails: z
    .strictObject({
      workspace: guardrailSchema.optional().describe('Applies to every request made from this workspace.'),
      apps: z
        .record(z.string(), guardrailSchema, { error: 'expected an object of app name → guardrail' })
        .optional()
        .describe('Per local-endpoint app (the name given to its token).'),
    })
    .optional(),
});

/** One guardrail layer as configured. */
export type Guardrail = z.infer<typeof guardrailSchema>;
/** A budget as configured, in USD. */
export type BudgetConfig = z.infer<typeof budgetConfigSchema>;
/** `daily` / `weekly` / `monthly` in local time, or `{ rollingHours }`. */
export type BudgetPeriod = z.infer<typeof budgetPeriodSchema>;
/** What happens between `warnAtPercent` and 100 %. */
export type NearLimitAction = NonNullable<BudgetConfig['nearLimit']>;
/** The parsed content of `.perpetuo/policy.json`. */
export type PolicyFile = z.infer<typeof policyFileSchema>;
