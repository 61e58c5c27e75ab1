import { z } from 'zod';
import { PerpetuoError } from '../errors';
import { formatSchemaIssues } from './format-schema-issues';
import { type BudgetConfig, budgetConfigSchema, type Guardrail, guardrailSchema } from './guardrail-schema';

const optionalUsd = z
  .number({ error: 'expected a positive number of US dollars, or null for no limit' })
  .positive({ error: 'expected a positive number of US dollars, or null for no limit' })
  .nullable()
  .optional();

/**
 * The `perpetuo.guardrails.*` settings as the VS Code layer reads them from one settings level
 * (user = global, workspace = workspace), keys without the prefix. Budgets are one setting per
 * period because that is what the Settings UI can edit; `null` means "no budget".
 */
export const guardrailSettingsSchema = z.object({
  dailyBudgetUsd: optionalUsd,
  weeklyBudgetUsd: optionalUsd,
  monthlyBudgetUsd: optionalUsd,
  rollingBudget: z
    .strictObject({ amountUsd: budgetConfigSchema.shape.amountUsd, hours: z.number({ error: 'expected a number of hours between 1 and 8784' }).min(1).max(8784) })
    .nullable()
    .optional(),
  warnAtPercent: budgetConfigSchema.shape.warnAtPercent,
  nearLimit: budgetConfigSchema.shape.nearLimit,
  allowModels: guardrailSchema.shape.allowModels,
  denyModels: guardrailSchema.shape.denyModels,
  allowProviders: guardrailSchema.shape.allowProviders,
  requireZdr: guardrailSchema.shape.requireZdr,
  maxCostPerRequestUsd: optionalUsd,
  allowUnpriced: guardrailSchema.shape.allowUnpriced,
  /** Per local-endpoint app guardrails (user settings only). */
  apps: z.record(z.string(), guardrailSchema, { error: 'expected an object of app name → guardrail' }).optional(),
});

/** `perpetuo.guardrails.*` settings of one level, as a plain object. */
export type GuardrailSettings = z.input<typeof guardrailSettingsSchema>;

/** The guardrails one settings level defines. */
export interface SettingsGuardrails {
  guardrail: Guardrail;
  apps: Record<string, Guardrail>;
}

/**
 * Validates one settings level and maps it onto guardrails. Unknown keys are ignored (VS Code
 * hands over whatever the user typed in settings.json; it warns about those itself). Throws a
 * 'config' PerpetuoError naming each setting that is wrong.
 */
export function mapSettingsToGuardrails(settings: unknown, level: 'User' | 'Workspace' = 'User'): SettingsGuardrails {
  const parsed = guardrailSettingsSchema.safeParse(settings ?? {}, { reportInput: true });
  if (!parsed.success) {
    const problems = formatSchemaIssues(`${level} settings`, parsed.error.issues, ['perpetuo', 'guardrails']);
    throw new PerpetuoError({ kind: 'config', message: `${problems.join('\n')}\nFix it in Settings › Perpetuo › Guardrails.` });
  }
  const s = parsed.data;
  const shared = { warnAtPercent: s.warnAtPercent ?? undefined, nearLimit: s.nearLimit ?? undefined };
  const budgets: BudgetConfig[] = [];
  const add = (amountUsd: number | null | undefined, period: BudgetConfig['period']): void => {
    if (amountUsd !== undefined && amountUsd !== null) {
      budgets.push(withoutUndefined({ amountUsd, period, ...shared }));
    }
  };
  add(s.dailyBudgetUsd, 'daily');
  add(s.weeklyBudgetUsd, 'weekly');
  add(s.monthlyBudgetUsd, 'monthly');
  if (s.rollingBudget) {
    add(s.rollingBudget.amountUsd, { rollingHours: s.rollingBudget.hours });
  }
  const guardrail: Guardrail = withoutUndefined({
    budgets: budgets.length > 0 ? budgets : undefined,
    allowModels: s.allowModels,
    denyModels: s.denyModels,
    allowProviders: s.allowProviders,
    requireZdr: s.requireZdr,
    maxCostPerRequestUsd: s.maxCostPerRequestUsd ?? undefined,
    allowUnpriced: s.allowUnpriced,
  });
  return { guardrail, apps: s.apps ?? {} };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
