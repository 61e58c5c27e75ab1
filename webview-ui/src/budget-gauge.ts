import { LitElement, css, html } from 'lit';
import type { BudgetGauge } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import { formatUsd } from './format-usd';
import { setStyle } from './set-style';

/**
 * One budget as a bar: spent of limit, coloured by how near the limit it is (the warning
 * threshold from the guardrail, then the limit itself). Exposed as an ARIA meter.
 */
export class BudgetGaugeElement extends LitElement {
  static override properties = { budget: { attribute: false }, compact: { type: Boolean } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
      }
      .line {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        margin-bottom: 4px;
      }
      .track {
        height: 8px;
        border-radius: 4px;
        background: var(--vscode-progressBar-background, var(--vscode-charts-blue));
        background: color-mix(in srgb, var(--vscode-foreground) 15%, transparent);
        border: 1px solid var(--vscode-contrastBorder, transparent);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        width: var(--fill, 0%);
        background: var(--vscode-charts-green);
      }
      .warn .fill {
        background: var(--vscode-charts-yellow);
      }
      .over .fill {
        background: var(--vscode-charts-red);
      }
    `,
  ];

  declare budget: BudgetGauge | undefined;
  declare compact: boolean;

  constructor() {
    super();
    this.budget = undefined;
    this.compact = false;
  }

  override render() {
    const budget = this.budget;
    if (budget === undefined) return null;
    const percent = budget.limitUsd > 0 ? (budget.spentUsd / budget.limitUsd) * 100 : 0;
    const level = percent >= 100 ? 'over' : percent >= budget.warnAtPercent ? 'warn' : 'ok';
    const label = `${budget.scope} ${budget.periodLabel.toLowerCase()} budget`;
    return html`<div class=${level}>
      <div class="line">
        <span>${this.compact ? budget.scope : label}</span>
        <span class="num">${formatUsd(budget.spentUsd)} of ${formatUsd(budget.limitUsd)} · ${Math.round(percent)}%</span>
      </div>
      <div
        class="track"
        role="meter"
        aria-label=${label}
        aria-valuemin="0"
        aria-valuemax=${budget.limitUsd}
        aria-valuenow=${Math.min(budget.spentUsd, budget.limitUsd)}
        aria-valuetext=${`${formatUsd(budget.spentUsd)} of ${formatUsd(budget.limitUsd)}`}
      >
        <div class="fill" ${setStyle({ '--fill': `${Math.min(100, percent).toFixed(1)}%` })}></div>
      </div>
    </div>`;
  }
}
customElements.define('budget-gauge', BudgetGaugeElement);

declare global {
  interface HTMLElementTagNameMap {
    'budget-gauge': BudgetGaugeElement;
  }
}
