import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { describePeriod } from '../core/guardrails/compute-period-window';
import { resolveEffectiveGuardrail } from '../core/guardrails/resolve-effective-guardrail';
import { nanosToUsd } from '../core/ledger/convert-usd-units';
import type { BudgetGauge } from '../shared/webview-protocol';
import { readGuardrails } from './build-routing-engine';
import type { BaselineModel, DashboardDataSource, RequestSample } from './dashboard/dashboard-data-source';
import type { PerpetuoContext } from './perpetuo-context';
import { convertRecordToSample } from './dashboard/convert-record-to-sample';

/** Where each scope's budgets are edited, as a settings search. */
const SETTINGS_QUERY: Record<string, string> = { global: 'perpetuo.guardrails', workspace: 'perpetuo.guardrails', app: 'perpetuo.guardrails.apps' };

/** The dashboard's data, from the window's decision log, budget store and catalog. */
export function createDashboardDataSource(ctx: PerpetuoContext): DashboardDataSource {
  const services = () => ctx.services();
  const ledger = () => {
    const current = services().ledger;
    // Other windows append to the same files; pick their lines up before answering.
    current.refresh();
    return current;
  };
  return {
    now: Date.now,
    aggregate: (groupBy, fromMs, toMs) => ledger().aggregate(groupBy, fromMs, toMs),
    search: (query) => ledger().search(query),
    get: (id) => ledger().get(id),
    samples(fromMs, toMs): RequestSample[] {
      const { records } = ledger().search({ fromMs, toMs, offset: 0, limit: Number.MAX_SAFE_INTEGER });
      return records.map(convertRecordToSample);
    },
    async budgets(): Promise<BudgetGauge[]> {
      const s = services();
      const guardrail = resolveEffectiveGuardrail(readGuardrails(s.policyFile()), { workspaceId: s.workspaceId });
      const statuses = await s.budgets.status(guardrail.budgets);
      return statuses.map(({ budget, spentNanos, resetsAtMs }) => ({
        id: budget.id,
        scope: budget.scope === 'global' ? 'Global' : budget.scope === 'workspace' ? 'Workspace' : `App ${budget.scopeKey.replace(/^app:/, '')}`,
        periodLabel: describePeriod(budget.period),
        period: typeof budget.period === 'object' ? 'rolling' : budget.period,
        limitUsd: nanosToUsd(budget.amountNanos),
        spentUsd: nanosToUsd(spentNanos),
        warnAtPercent: budget.warnAtPercent,
        ...(resetsAtMs === undefined ? {} : { resetsAtMs }),
        settingsQuery: SETTINGS_QUERY[budget.scope] ?? 'perpetuo.guardrails',
      }));
    },
    baselineModels(): BaselineModel[] {
      const perMillion = (price: string | undefined) => (price === undefined ? undefined : Number(price) * 1_000_000);
      const baselines: BaselineModel[] = [];
      for (const model of services().catalog().models) {
        const priced = model.endpoints.find((e) => e.pricing.input !== undefined && e.pricing.output !== undefined);
        const input = perMillion(priced?.pricing.input);
        const output = perMillion(priced?.pricing.output);
        if (priced && input !== undefined && output !== undefined && input + output > 0) {
          baselines.push({ id: model.id, inputUsdPerMillion: input, outputUsdPerMillion: output, cacheReadUsdPerMillion: perMillion(priced.pricing.cacheRead), cacheWriteUsdPerMillion: perMillion(priced.pricing.cacheWrite) });
        }
      }
      return baselines.sort((a, b) => a.id.localeCompare(b.id));
    },
    async exportRecords(format, filters) {
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export the Perpetuo decision log'),
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? ctx.extension.globalStorageUri, `perpetuo-decisions.${format}`),
        filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (!target) {
        return { saved: false };
      }
      const text = ledger().export(format, filters);
      await writeFile(target.fsPath, text, 'utf8');
      return { saved: true, location: target.fsPath, records: ledger().search({ ...filters, limit: 0 }).total };
    },
    async openSettings(query) {
      await vscode.commands.executeCommand('workbench.action.openSettings', query);
    },
  };
}
