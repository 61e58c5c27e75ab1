import { LitElement, css, html } from 'lit';
import uPlot from 'uplot';
import { baseStyles } from './base-styles';

/** One line of a chart; null marks a bucket without data (a gap, not a zero). */
export interface ChartLine {
  label: string;
  values: Array<number | null>;
}

/** VS Code's chart palette, in the order lines take it; each theme defines its own values. */
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];

/**
 * A uPlot time chart coloured from the theme's `--vscode-charts-*` variables. The canvas cannot
 * follow CSS, so the chart is rebuilt when VS Code swaps the body's theme class. The numbers are
 * also in the table next to it: the canvas is labelled as an image for screen readers.
 */
export class LineChart extends LitElement {
  static override properties = {
    label: { type: String },
    xMs: { attribute: false },
    lines: { attribute: false },
    format: { attribute: false },
  };
  static override styles = [
    baseStyles,
    // uPlot's own stylesheet (uPlot.min.css), reduced to what this chart uses: main.css cannot reach into the shadow root.
    css`
      :host {
        display: block;
        min-width: 0;
      }
      .uplot,
      .uplot * {
        box-sizing: border-box;
      }
      .uplot {
        font-family: var(--vscode-font-family);
        line-height: 1.5;
        width: min-content;
      }
      .u-wrap {
        position: relative;
        user-select: none;
      }
      .u-over,
      .u-under {
        position: absolute;
      }
      .u-under {
        overflow: hidden;
      }
      .uplot canvas {
        display: block;
        position: relative;
        width: 100%;
        height: 100%;
      }
      .u-legend {
        font-size: 0.9em;
        margin: 4px 0 0;
        text-align: left;
        color: var(--vscode-foreground);
      }
      .u-inline {
        display: block;
      }
      .u-inline * {
        display: inline-block;
      }
      .u-inline tr {
        margin-right: 12px;
      }
      .u-legend th {
        font-weight: 400;
      }
      .u-legend th > * {
        vertical-align: middle;
        display: inline-block;
      }
      .u-legend .u-marker {
        width: 1em;
        height: 0.3em;
        margin-right: 4px;
        background-clip: padding-box !important;
      }
      .u-inline.u-live th::after {
        content: ':';
        vertical-align: middle;
      }
      .u-inline:not(.u-live) .u-value {
        display: none;
      }
      .u-series > * {
        padding: 2px;
      }
      .u-legend .u-off > * {
        opacity: 0.4;
      }
      .u-select {
        background: color-mix(in srgb, var(--vscode-foreground) 10%, transparent);
        position: absolute;
        pointer-events: none;
      }
      .u-cursor-x,
      .u-cursor-y {
        position: absolute;
        left: 0;
        top: 0;
        pointer-events: none;
        will-change: transform;
      }
      .u-hz .u-cursor-x {
        height: 100%;
        border-right: 1px dashed var(--vscode-charts-lines, var(--vscode-descriptionForeground));
      }
      .u-hz .u-cursor-y {
        width: 100%;
        border-bottom: 1px dashed var(--vscode-charts-lines, var(--vscode-descriptionForeground));
      }
      .u-cursor-pt {
        position: absolute;
        top: 0;
        left: 0;
        border-radius: 50%;
        border: 0 solid;
        pointer-events: none;
        will-change: transform;
        background-clip: padding-box !important;
      }
      .u-axis.u-off,
      .u-select.u-off,
      .u-cursor-x.u-off,
      .u-cursor-y.u-off,
      .u-cursor-pt.u-off {
        display: none;
      }
      .empty {
        padding: 24px 0;
      }
    `,
  ];

  declare label: string;
  declare xMs: number[];
  declare lines: ChartLine[];
  declare format: (value: number) => string;
  private chart: uPlot | undefined;
  private width = 400;
  private readonly resizeObserver = new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width > 0 && width !== this.width) {
      this.width = width;
      this.chart?.setSize({ width, height: 200 });
    }
  });
  private readonly themeObserver = new MutationObserver(() => this.rebuild());

  constructor() {
    super();
    this.label = '';
    this.xMs = [];
    this.lines = [];
    this.format = (value) => String(value);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver.observe(this);
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.chart?.destroy();
    this.chart = undefined;
  }

  override render() {
    const hasData = this.lines.some((line) => line.values.some((value) => value !== null));
    return html`<h3>${this.label}</h3>
      <div class="plot" role="img" aria-label=${`${this.label}: chart of ${this.lines.length} series; the table below has the numbers.`} ?hidden=${!hasData}></div>
      ${hasData ? null : html`<div class="empty muted">No data in this range.</div>`}`;
  }

  override updated(): void {
    this.rebuild();
  }

  private rebuild(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target || target.hidden) return;
    const styles = getComputedStyle(this);
    const color = (name: string, fallback: string) => styles.getPropertyValue(name).trim() || fallback;
    const foreground = color('--vscode-charts-foreground', color('--vscode-foreground', '#888'));
    const gridColor = color('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
    const font = `${color('--vscode-font-size', '12px')} ${color('--vscode-font-family', 'sans-serif')}`;
    const axis: uPlot.Axis = { stroke: foreground, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 }, font };
    const format = this.format;
    const options: uPlot.Options = {
      width: this.width || target.clientWidth || 400,
      height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 84, values: (_chart, ticks) => ticks.map((tick) => format(tick)) }],
      series: [
        {},
        ...this.lines.map((line, i) => ({
          label: line.label,
          stroke: color(PALETTE[i % PALETTE.length] ?? '--vscode-charts-blue', '#3794ff'),
          width: 2,
          spanGaps: false,
          points: { size: 4 },
          value: (_chart: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        })),
      ],
    };
    const data: uPlot.AlignedData = [this.xMs.map((ms) => ms / 1000), ...this.lines.map((line) => line.values)];
    this.chart = new uPlot(options, data, target);
  }
}
customElements.define('line-chart', LineChart);

declare global {
  interface HTMLElementTagNameMap {
    'line-chart': LineChart;
  }
}
