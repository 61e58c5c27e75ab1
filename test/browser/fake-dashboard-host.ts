import type { BudgetGauge } from '../../src/shared/webview-protocol';
import type { BaselineModel, DashboardLedgerRecord } from '../../src/vscode/dashboard/dashboard-data-source';
import { GENERATED_MODELS, generateLedgerRecords } from './generate-ledger-records';
import { InMemoryDataSource } from './in-memory-data-source';

/** The fixed "now" of the tests: a Wednesday afternoon, so today, this week and this month differ. */
export const TEST_NOW = Date.UTC(2026, 2, 18, 15, 30, 0);

/** Budgets as the extension would report them: a daily one near its limit, weekly and monthly. */
export function testBudgets(spent: { daily: number; weekly: number; monthly: number }): BudgetGauge[] {
  return [
    { id: 'global-daily', scope: 'Global', periodLabel: 'Daily', period: 'daily', limitUsd: 5, spentUsd: spent.daily, warnAtPercent: 80, resetsAtMs: Date.UTC(2026, 2, 19), settingsQuery: 'perpetuo.budget.daily' },
    { id: 'global-weekly', scope: 'Global', periodLabel: 'Weekly', period: 'weekly', limitUsd: 40, spentUsd: spent.weekly, warnAtPercent: 80, resetsAtMs: Date.UTC(2026, 2, 23), settingsQuery: 'perpetuo.budget.weekly' },
    { id: 'app-aider-monthly', scope: 'App aider', periodLabel: 'Monthly', period: 'monthly', limitUsd: 50, spentUsd: spent.monthly, warnAtPercent: 75, resetsAtMs: Date.UTC(2026, 3, 1), settingsQuery: 'perpetuo.policy apps aider' },
    { id: 'workspace-rolling', scope: 'Workspace', periodLabel: 'Rolling 5-hour', period: 'rolling', limitUsd: 2, spentUsd: 2.4, warnAtPercent: 80, settingsQuery: 'perpetuo.budget' },
  ];
}

export const TEST_BASELINES: BaselineModel[] = GENERATED_MODELS.map((model) => ({ id: model.id, inputUsdPerMillion: model.inPerM, outputUsdPerMillion: model.outPerM }));

/** A data source over `count` generated records ending at {@link TEST_NOW}. */
export function createTestSource(count: number, records?: DashboardLedgerRecord[]): InMemoryDataSource {
  const log = records ?? generateLedgerRecords(count, TEST_NOW);
  return new InMemoryDataSource(log, () => TEST_NOW, count === 0 ? [] : testBudgets({ daily: 4.3, weekly: 18.25, monthly: 12.6 }), TEST_BASELINES);
}
