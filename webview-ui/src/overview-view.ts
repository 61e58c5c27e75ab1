import { LitElement, css, html } from 'lit';
import type { DashboardSummary, PeriodSpend, SavingsReport, SpendGroup, TimeRange } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import './budget-gauge';
import { describeSource } from './describe-source';
import { formatCount } from './format-count';
import { formatUsd } from './format-usd';
import type { HostConnection } from './host-connection';
import { QueryTask } from './query-task';
import { setStyle } from './set-style';
import './status-message';
import { TIME_RANGE_LABELS } from './time-range-labels';

const PERIOD_TITLES: Record<PeriodSpend['period'], string> = { daily: 'Today', weekly: 'This week', monthly: 'This month' };

/** Spend by period against budgets, breakdowns by provider, model and source, and what routing saved. */
export class OverviewView extends LitElement {
  static override properties = { connection: { attribute: false }, range: { state: true }, baseline: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .toolbar {
        display: flex;
        gap: 12px;
        align-items: end;
        margin-bottom: 12px;
      }
      .periods,
      .breakdowns {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
        gap: 12px;
        margin-bottom: 12px;
      }
      .breakdowns {
        grid-template-columns: repeat(auto-fit, minmax(460px, 1fr));
      }
      .amount {
        font-size: 1.6em;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .period budget-gauge {
        margin-top: 8px;
      }
      .savings {
        margin-bottom: 12px;
      }
      .savings .row {
        display: flex;
        flex-wrap: wrap;
        gap: 12px;
        align-items: end;
      }
      .saved {
        font-size: 1.2em;
        font-weight: 600;
      }
      .share {
        width: 80px;
      }
      .bar {
        height: 6px;
        width: var(--share, 0%);
        background: var(--vscode-charts-blue);
        border-radius: 3px;
      }
      .breakdowns .card {
        overflow-x: auto;
      }
      td.name {
        max-width: 220px;
        overflow: hidden;
        text-overflow: ellipsis;
      }
    `,
  ];

  declare connection: HostConnection;
  declare range: TimeRange;
  declare baseline: string;
  private readonly summary = new QueryTask<DashboardSummary>(this, () => this.connection.request('query-summary', { range: this.range }));
  private readonly savings = new QueryTask<SavingsReport>(this, () =>
    this.connection.request('query-savings', { range: this.range, baselineModel: this.baseline }),
  );

  constructor() {
    super();
    this.range = 'month';
    this.baseline = '';
  }

  /** (Re)loads the summary, and the savings when a baseline is picked. */
  refresh(): void {
    void this.summary.refresh();
    if (this.baseline) void this.savings.refresh();
  }

  override render() {
    const task = this.summary;
    if (task.value === undefined) {
      return task.status === 'error'
        ? html`<status-message kind="error" message="Could not load the overview." .detail=${task.error} @retry=${() => this.refresh()}></status-message>`
        : html`<status-message kind="loading" message="Loading the overview…"></status-message>`;
    }
    const summary = task.value;
    return html`
      ${task.status === 'error'
        ? html`<status-message kind="error" message="Could not refresh the overview." .detail=${task.error} @retry=${() => this.refresh()}></status-message>`
        : null}
      <section class="periods" aria-label="Spend by period">${summary.periods.map((period) => this.renderPeriod(period))}</section>
      ${summary.totalRequests === 0
        ? html`<status-message kind="empty" message="No requests yet — ask @perpetuo something" detail="Every request routed by Perpetuo appears here with its cost and why it went where it went."></status-message>`
        : html`
            <div class="toolbar">
              <label class="field"
                >Breakdown over
                <select aria-label="Breakdown time range" .value=${this.range} @change=${(event: Event) => this.setRange((event.target as HTMLSelectElement).value as TimeRange)}>
                  ${TIME_RANGE_LABELS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.range}>${label}</option>`)}
                </select>
              </label>
            </div>
            ${this.renderSavings(summary)}
            <div class="breakdowns">
              ${this.renderBreakdown('By provider', summary.byProvider, (key) => key || '(none)')}
              ${this.renderBreakdown('By model', summary.byModel, (key) => key)}
              ${this.renderBreakdown('By source', summary.bySource, describeSource)}
            </div>
          `}
    `;
  }

  private setRange(range: TimeRange): void {
    this.range = range;
    this.refresh();
  }

  private renderPeriod(period: PeriodSpend) {
    const title = PERIOD_TITLES[period.period];
    return html`<div class="card period">
      <h3>${title}</h3>
      <div class="amount">${formatUsd(period.spentUsd)}</div>
      <div class="muted">${formatCount(period.requests)} ${period.requests === 1 ? 'request' : 'requests'}</div>
      ${period.budgets.length === 0
        ? html`<div class="muted">
            No ${period.period} budget.
            <button class="link" @click=${() => this.connection.send({ type: 'open-settings', query: 'perpetuo.budget' })}>Set one</button>
          </div>`
        : period.budgets.map((budget) => html`<budget-gauge compact .budget=${budget}></budget-gauge>`)}
    </div>`;
  }

  private renderSavings(summary: DashboardSummary) {
    const report = this.savings.value;
    const rangeLabel = (TIME_RANGE_LABELS.find(([value]) => value === this.range)?.[1] ?? '').toLowerCase();
    return html`<section class="card savings" aria-label="What routing saved">
      <h3>What routing saved</h3>
      <div class="row">
        <label class="field"
          >If every request had gone to
          <select
            aria-label="Savings baseline model"
            @change=${(event: Event) => {
              this.baseline = (event.target as HTMLSelectElement).value;
              if (this.baseline) void this.savings.refresh();
            }}
          >
            <option value="" ?selected=${this.baseline === ''}>Pick a model…</option>
            ${summary.baselineModels.map((model) => html`<option value=${model} ?selected=${model === this.baseline}>${model}</option>`)}
          </select>
        </label>
        <div aria-live="polite">
          ${!this.baseline
            ? html`<span class="muted">Pick a model to compare this range's spend with.</span>`
            : this.savings.status === 'error'
              ? html`<span class="outcome-error">${this.savings.error}</span>
                  <button class="secondary" @click=${() => void this.savings.refresh()}>Retry</button>`
              : report === undefined || this.savings.status === 'loading'
                ? html`<span class="muted">Computing…</span>`
                : html`<div class="saved ${report.savedUsd >= 0 ? 'outcome-ok' : 'outcome-error'}">
                      ${report.savedUsd >= 0 ? `Saved ${formatUsd(report.savedUsd)}` : `Cost ${formatUsd(-report.savedUsd)} more`}
                      ${report.baselineUsd > 0 ? html`(${Math.round((Math.abs(report.savedUsd) / report.baselineUsd) * 100)}%)` : null}
                    </div>
                    <div class="muted">
                      ${rangeLabel}: ${formatUsd(report.actualUsd)} routed vs ${formatUsd(report.baselineUsd)} on ${report.baselineModel}
                      over ${formatCount(report.pricedRequests)} requests${report.unpricedRequests > 0
                        ? html`; ${formatCount(report.unpricedRequests)} without token counts left out`
                        : null}
                    </div>`}
        </div>
      </div>
    </section>`;
  }

  private renderBreakdown(title: string, groups: SpendGroup[], label: (key: string) => string) {
    const total = groups.reduce((sum, group) => sum + group.chargedUsd, 0);
    return html`<section class="card" aria-label=${title}>
      <h3>${title}</h3>
      ${groups.length === 0
        ? html`<div class="muted">No requests in this range.</div>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">${title.replace('By ', '').replace(/^./, (c) => c.toUpperCase())}</th>
                <th scope="col" class="num">Requests</th>
                <th scope="col" class="num">Tokens in / out</th>
                <th scope="col" class="num">Spend</th>
                <th scope="col"><span class="muted">Share</span></th>
              </tr>
            </thead>
            <tbody>
              ${groups.map((group) => {
                const share = total > 0 ? (group.chargedUsd / total) * 100 : 0;
                return html`<tr>
                  <td class="name" title=${group.key}>${label(group.key)}</td>
                  <td class="num">${formatCount(group.requests)}</td>
                  <td class="num">${formatCount(group.inputTokens)} / ${formatCount(group.outputTokens)}</td>
                  <td class="num">${formatUsd(group.chargedUsd)}</td>
                  <td class="share" aria-label=${`${Math.round(share)}% of spend`}><div class="bar" ${setStyle({ '--share': `${share.toFixed(1)}%` })}></div></td>
                </tr>`;
              })}
            </tbody>
          </table>`}
    </section>`;
  }
}
customElements.define('overview-view', OverviewView);

declare global {
  interface HTMLElementTagNameMap {
    'overview-view': OverviewView;
  }
}
