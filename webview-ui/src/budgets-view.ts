import { LitElement, css, html } from 'lit';
import type { BudgetGauge, ExportResult } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import './budget-gauge';
import { formatCount } from './format-count';
import type { HostConnection } from './host-connection';
import { QueryTask } from './query-task';
import './status-message';

/** Every guardrail budget as a gauge with a link to where it is set, and the ledger export. */
export class BudgetsView extends LitElement {
  static override properties = { connection: { attribute: false }, exportMessage: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .gauges {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
        gap: 12px;
        margin-bottom: 16px;
      }
      .meta {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: 8px;
        margin-top: 8px;
      }
      .export {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
    `,
  ];

  declare connection: HostConnection;
  declare exportMessage: string;
  private readonly budgets = new QueryTask<BudgetGauge[]>(this, () => this.connection.request('query-budgets', {}));

  constructor() {
    super();
    this.exportMessage = '';
  }

  refresh(): void {
    void this.budgets.refresh();
  }

  private openSettings(query: string): void {
    this.connection.send({ type: 'open-settings', query });
  }

  private async exportAs(format: 'csv' | 'json'): Promise<void> {
    this.exportMessage = `Exporting ${format.toUpperCase()}…`;
    try {
      const result: ExportResult = await this.connection.request('export', { format });
      this.exportMessage = result.saved
        ? `Exported${result.records === undefined ? '' : ` ${formatCount(result.records)} records`}${result.location ? ` to ${result.location}` : ''}.`
        : 'Export cancelled.';
    } catch (error) {
      this.exportMessage = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  override render() {
    const task = this.budgets;
    return html`
      <h2>Budgets</h2>
      ${task.status === 'error'
        ? html`<status-message kind="error" message="Could not load the budgets." .detail=${task.error} @retry=${() => this.refresh()}></status-message>`
        : task.value === undefined
          ? html`<status-message kind="loading" message="Loading budgets…"></status-message>`
          : task.value.length === 0
            ? html`<status-message kind="empty" message="No budgets set." detail="A budget caps what Perpetuo may spend per day, week, month or rolling window."
                ><button @click=${() => this.openSettings('perpetuo.budget')}>Set a budget</button></status-message
              >`
            : html`<div class="gauges">${task.value.map((budget) => this.renderBudget(budget))}</div>`}
      <section class="card" aria-label="Export the decision log">
        <h3>Export the decision log</h3>
        <div class="export">
          <button class="secondary" @click=${() => void this.exportAs('csv')}>Export CSV</button>
          <button class="secondary" @click=${() => void this.exportAs('json')}>Export JSON</button>
          <span class="muted" role="status">${this.exportMessage}</span>
        </div>
      </section>
    `;
  }

  private renderBudget(budget: BudgetGauge) {
    return html`<div class="card">
      <budget-gauge .budget=${budget}></budget-gauge>
      <div class="meta muted">
        <span
          >Warns at ${budget.warnAtPercent}%${budget.resetsAtMs === undefined
            ? ' · rolling window'
            : ` · resets ${new Date(budget.resetsAtMs).toLocaleString(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })}`}</span
        >
        <button class="link" aria-label=${`Edit the ${budget.scope} ${budget.periodLabel.toLowerCase()} budget`} @click=${() => this.openSettings(budget.settingsQuery)}>Edit</button>
      </div>
    </div>`;
  }
}
customElements.define('budgets-view', BudgetsView);

declare global {
  interface HTMLElementTagNameMap {
    'budgets-view': BudgetsView;
  }
}
