import { LitElement, css, html } from 'lit';
import type { DecisionDetail } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import { describeSource } from './describe-source';
import { formatCount } from './format-count';
import { formatDuration } from './format-duration';
import { formatUsd } from './format-usd';
import './status-message';

/**
 * One request in full: why the router chose what it chose (targets in order, every rejected
 * candidate with its reason), what each attempt did, timings, tokens by kind, and the cost as
 * the provider reported it against Perpetuo's estimate. Escape or Close dispatches `close`.
 */
export class DecisionDetailView extends LitElement {
  static override properties = {
    detail: { attribute: false },
    status: { type: String },
    error: { type: String },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        overflow: auto;
        padding: 0 12px 12px;
        border-left: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent));
      }
      header {
        position: sticky;
        top: 0;
        background: var(--vscode-editor-background);
        display: flex;
        justify-content: space-between;
        align-items: center;
        padding: 8px 0;
        gap: 8px;
      }
      section {
        margin: 12px 0;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 2px 12px;
        margin: 0;
      }
      dt {
        color: var(--vscode-descriptionForeground);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .explanation {
        margin: 4px 0 8px;
      }
      .reason {
        font-family: var(--vscode-editor-font-family);
      }
      pre {
        font-family: var(--vscode-editor-font-family);
        background: var(--vscode-textCodeBlock-background);
        padding: 8px;
        overflow: auto;
        max-height: 300px;
      }
      .error-box {
        color: var(--vscode-errorForeground);
        border-left: 3px solid var(--vscode-errorForeground);
        padding-left: 8px;
        white-space: pre-wrap;
      }
    `,
  ];

  declare detail: DecisionDetail | null | undefined;
  declare status: 'loading' | 'ready' | 'error';
  declare error: string;

  constructor() {
    super();
    this.detail = undefined;
    this.status = 'loading';
    this.error = '';
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.close();
      }
    });
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<header>
        <h2 tabindex="-1">Decision</h2>
        <button class="secondary" aria-label="Close decision" @click=${() => this.close()}>Close</button>
      </header>
      ${this.renderBody()}`;
  }

  private renderBody() {
    if (this.status === 'error') {
      return html`<status-message kind="error" message="Could not load this decision." .detail=${this.error} @retry=${() => this.dispatchEvent(new CustomEvent('reload'))}></status-message>`;
    }
    if (this.status === 'loading' || this.detail === undefined) return html`<status-message kind="loading" message="Loading the decision…"></status-message>`;
    const detail = this.detail;
    if (detail === null) return html`<status-message kind="empty" message="This decision is no longer in the ledger." detail="Retention may have removed it."></status-message>`;
    const row = detail.row;
    const source = row.source.detail === undefined ? row.source.kind : `${row.source.kind}:${row.source.detail}`;
    return html`
      <section aria-label="Request">
        <dl>
          <dt>Id</dt>
          <dd><code>${row.id}</code></dd>
          <dt>Time</dt>
          <dd>${new Date(row.time).toLocaleString()}</dd>
          <dt>Source</dt>
          <dd>${describeSource(source)}</dd>
          <dt>Requested</dt>
          <dd>${row.requestedModel}${detail.strategy ? html` <span class="muted">(${detail.strategy})</span>` : null}</dd>
          <dt>Served</dt>
          <dd>${row.servedModel ?? '—'}${row.provider ? html` <span class="muted">via ${row.provider}</span>` : null}${detail.upstreamProvider
            ? html` <span class="muted">→ ${detail.upstreamProvider}</span>`
            : null}</dd>
          <dt>Outcome</dt>
          <dd class="outcome-${row.outcome}">${row.outcome}</dd>
          ${detail.keyId ? html`<dt>Key</dt><dd><code>${detail.keyId}</code></dd>` : null}
          ${detail.upstreamId ? html`<dt>Upstream id</dt><dd><code>${detail.upstreamId}</code></dd>` : null}
        </dl>
        ${detail.error ? html`<p class="error-box" role="note"><strong>${detail.error.kind}</strong>: ${detail.error.message}</p>` : null}
      </section>
      ${this.renderPlan(detail)} ${this.renderAttempts(detail)}
      <section aria-label="Timings and tokens">
        <h3>Timings and tokens</h3>
        <dl>
          <dt>Latency</dt>
          <dd>${formatDuration(row.latencyMs)}</dd>
          <dt>Time to first token</dt>
          <dd>${formatDuration(row.ttftMs)}</dd>
          <dt>Input</dt>
          <dd>
            ${formatCount(detail.tokens.input.total)}
            <span class="muted"
              >(uncached ${formatCount(detail.tokens.input.noCache)}, cache read ${formatCount(detail.tokens.input.cacheRead)}, cache write
              ${formatCount(detail.tokens.input.cacheWrite)})</span
            >
          </dd>
          <dt>Output</dt>
          <dd>
            ${formatCount(detail.tokens.output.total)}
            <span class="muted">(text ${formatCount(detail.tokens.output.text)}, reasoning ${formatCount(detail.tokens.output.reasoning)})</span>
          </dd>
        </dl>
      </section>
      <section aria-label="Cost">
        <h3>Cost</h3>
        <dl>
          <dt>Charged</dt>
          <dd><strong>${formatUsd(detail.cost.chargedUsd)}</strong> <span class="muted">${detail.cost.basis ? `(${detail.cost.basis})` : ''}</span></dd>
          <dt>Reported by provider</dt>
          <dd>${detail.cost.reportedUsd === undefined ? '—' : formatUsd(detail.cost.reportedUsd)}</dd>
          <dt>Computed from prices</dt>
          <dd>${detail.cost.computedUsd === undefined ? '—' : formatUsd(detail.cost.computedUsd)}</dd>
          <dt>Estimated before</dt>
          <dd>${detail.cost.estimatedUsd === undefined ? '—' : formatUsd(detail.cost.estimatedUsd)}</dd>
          ${detail.cost.unknownPriceFields?.length ? html`<dt>Unpriced</dt><dd>${detail.cost.unknownPriceFields.join(', ')}</dd>` : null}
        </dl>
      </section>
    `;
  }

  private renderPlan(detail: DecisionDetail) {
    const plan = detail.plan;
    if (plan === null) {
      return html`<section aria-label="Route plan">
        <h3>Route plan</h3>
        ${detail.rawDecision
          ? html`<p class="muted">The decision record is in a format this dashboard does not read; as stored:</p>
              <pre>${detail.rawDecision}</pre>`
          : html`<p class="muted">No route plan was recorded for this request.</p>`}
      </section>`;
    }
    return html`<section aria-label="Route plan">
      <h3>Route plan ${plan.strategy ? html`<span class="muted">· ${plan.strategy}</span>` : null}</h3>
      ${plan.explanation ? html`<p class="explanation">${plan.explanation}</p>` : null}
      <h3>Candidates kept (${plan.targets.length})</h3>
      ${plan.targets.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table aria-label="Candidates kept">
            <thead>
              <tr>
                <th scope="col" class="num">#</th>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col" class="num">Est. cost</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              ${plan.targets.map(
                (target, i) => html`<tr>
                  <td class="num">${i + 1}</td>
                  <td>${target.modelId}</td>
                  <td>${target.provider}</td>
                  <td class="num">${target.estimatedCostUsd === null ? 'unpriced' : formatUsd(target.estimatedCostUsd)}</td>
                  <td class="wrap">${target.why}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      <h3>Candidates rejected (${plan.rejected.length})</h3>
      ${plan.rejected.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<table aria-label="Candidates rejected">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col">Reason</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              ${plan.rejected.map(
                (rejected) => html`<tr>
                  <td>${rejected.modelId === '*' ? 'every model' : rejected.modelId}</td>
                  <td>${rejected.provider}</td>
                  <td class="reason">${rejected.reason}</td>
                  <td class="wrap">${rejected.detail}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }

  private renderAttempts(detail: DecisionDetail) {
    return html`<section aria-label="Attempts">
      <h3>Attempts (${detail.attempts.length})</h3>
      ${detail.attempts.length === 0
        ? html`<p class="muted">No upstream call was recorded${detail.row.outcome === 'blocked' ? ': the request was blocked before any.' : '.'}</p>`
        : html`<table aria-label="Attempts">
            <thead>
              <tr>
                <th scope="col" class="num">#</th>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="num">Latency</th>
              </tr>
            </thead>
            <tbody>
              ${detail.attempts.map(
                // The error gets a row of its own: upstream messages are long and a column would squeeze them unreadable.
                (attempt, i) => html`<tr>
                    <td class="num">${i + 1}</td>
                    <td>${attempt.modelId}</td>
                    <td>${attempt.provider}</td>
                    <td class="outcome-${attempt.outcome}">${attempt.outcome}</td>
                    <td class="num">${formatDuration(attempt.latencyMs)}</td>
                  </tr>
                  ${attempt.error
                    ? html`<tr class="attempt-error">
                        <td></td>
                        <td colspan="4" class="wrap"><span class="error-box"><strong>${attempt.error.kind}</strong>: ${attempt.error.message}</span></td>
                      </tr>`
                    : null}`,
              )}
            </tbody>
          </table>`}
    </section>`;
  }
}
customElements.define('decision-detail-view', DecisionDetailView);

declare global {
  interface HTMLElementTagNameMap {
    'decision-detail-view': DecisionDetailView;
  }
}
