import { LitElement, css, html } from 'lit';
import type { PerformanceReport, PerformanceSeries, Percentiles, TimeRange } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import { formatCount } from './format-count';
import { formatDuration } from './format-duration';
import type { HostConnection } from './host-connection';
import './line-chart';
import type { ChartLine } from './line-chart';
import { QueryTask } from './query-task';
import './status-message';
import { TIME_RANGE_LABELS } from './time-range-labels';

/** Lines per chart: past six the colours repeat and the chart stops being readable; the table has them all. */
const CHART_SERIES = 6;

const formatRate = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} tok/s`;
const formatPercent = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;

/** TTFT, latency and throughput percentiles and error rates per provider or model, over time and in a table. */
export class PerformanceView extends LitElement {
  static override properties = { connection: { attribute: false }, range: { state: true }, groupBy: { state: true } };
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
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(480px, 1fr));
        gap: 12px;
        margin-bottom: 12px;
      }
      .table-wrap {
        overflow-x: auto;
      }
    `,
  ];

  declare connection: HostConnection;
  declare range: TimeRange;
  declare groupBy: 'provider' | 'model';
  private readonly report = new QueryTask<PerformanceReport>(this, () =>
    this.connection.request('query-performance', { range: this.range, groupBy: this.groupBy }),
  );

  constructor() {
    super();
    this.range = '7d';
    this.groupBy = 'provider';
  }

  refresh(): void {
    void this.report.refresh();
  }

  override render() {
    const task = this.report;
    return html`
      <div class="toolbar">
        <label class="field"
          >Time
          <select
            aria-label="Performance time range"
            @change=${(e: Event) => {
              this.range = (e.target as HTMLSelectElement).value as TimeRange;
              this.refresh();
            }}
          >
            ${TIME_RANGE_LABELS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.range}>${label}</option>`)}
          </select></label
        >
        <label class="field"
          >Per
          <select
            aria-label="Group performance by"
            @change=${(e: Event) => {
              this.groupBy = (e.target as HTMLSelectElement).value as 'provider' | 'model';
              this.refresh();
            }}
          >
            <option value="provider" ?selected=${this.groupBy === 'provider'}>Provider</option>
            <option value="model" ?selected=${this.groupBy === 'model'}>Model</option>
          </select></label
        >
      </div>
      ${task.status === 'error'
        ? html`<status-message kind="error" message="Could not load performance." .detail=${task.error} @retry=${() => this.refresh()}></status-message>`
        : task.value === undefined
          ? html`<status-message kind="loading" message="Loading performance…"></status-message>`
          : this.renderReport(task.value)}
    `;
  }

  private renderReport(report: PerformanceReport) {
    if (report.series.length === 0) {
      return html`<status-message kind="empty" message="No requests in this range." detail="Performance appears once requests have been served; try a longer range."></status-message>`;
    }
    const shown = report.series.slice(0, CHART_SERIES);
    const lines = (read: (bucket: PerformanceSeries['buckets'][number]) => number | null): ChartLine[] =>
      shown.map((series) => ({ label: series.key, values: series.buckets.map(read) }));
    return html`
      <div class="charts">
        <line-chart class="card" label="Latency p95" .xMs=${report.bucketStarts} .lines=${lines((b) => b.latencyP95Ms)} .format=${formatDuration}></line-chart>
        <line-chart class="card" label="Time to first token p50" .xMs=${report.bucketStarts} .lines=${lines((b) => b.ttftP50Ms)} .format=${formatDuration}></line-chart>
        <line-chart class="card" label="Throughput p50" .xMs=${report.bucketStarts} .lines=${lines((b) => b.tokensPerSecondP50)} .format=${formatRate}></line-chart>
        <line-chart
          class="card"
          label="Error rate"
          .xMs=${report.bucketStarts}
          .lines=${lines((b) => (b.requests === 0 ? null : b.errors / b.requests))}
          .format=${formatPercent}
        ></line-chart>
      </div>
      <div class="table-wrap card">
        <table aria-label=${`Performance per ${report.groupBy}`}>
          <thead>
            <tr>
              <th scope="col">${report.groupBy === 'provider' ? 'Provider' : 'Model'}</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">Errors</th>
              <th scope="col" class="num">TTFT p50 / p90 / p99</th>
              <th scope="col" class="num">Latency p50 / p90 / p99</th>
              <th scope="col" class="num">Throughput p50 / p90</th>
            </tr>
          </thead>
          <tbody>
            ${report.series.map(
              (series) => html`<tr>
                <td>${series.key}</td>
                <td class="num">${formatCount(series.requests)}</td>
                <td class="num ${series.errorRate > 0.05 ? 'outcome-error' : ''}">${formatCount(series.errors)} (${formatPercent(series.errorRate)})</td>
                <td class="num">${triple(series.ttftMs, formatDuration)}</td>
                <td class="num">${triple(series.latencyMs, formatDuration)}</td>
                <td class="num">${series.tokensPerSecond ? `${formatRate(series.tokensPerSecond.p50)} / ${formatRate(series.tokensPerSecond.p90)}` : '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

function triple(percentiles: Percentiles | null, format: (value: number) => string): string {
  return percentiles === null ? '—' : `${format(percentiles.p50)} / ${format(percentiles.p90)} / ${format(percentiles.p99)}`;
}

customElements.define('performance-view', PerformanceView);

declare global {
  interface HTMLElementTagNameMap {
    'performance-view': PerformanceView;
  }
}
