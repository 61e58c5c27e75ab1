import { LitElement, css, html } from 'lit';
import { baseStyles } from './base-styles';

/**
 * The loading, empty and error states of a view. An error carries the host's message and a
 * retry button that dispatches `retry`; the text is announced (role=status / alert).
 */
export class StatusMessage extends LitElement {
  static override properties = {
    kind: { type: String },
    message: { type: String },
    detail: { type: String },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 24px 8px;
        text-align: center;
      }
      .message {
        font-size: 1.05em;
        margin-bottom: 6px;
      }
      .error .message {
        color: var(--vscode-errorForeground);
      }
      .detail {
        margin-bottom: 12px;
        white-space: pre-wrap;
      }
    `,
  ];

  declare kind: 'loading' | 'empty' | 'error';
  declare message: string;
  declare detail: string;

  constructor() {
    super();
    this.kind = 'loading';
    this.message = '';
    this.detail = '';
  }

  override render() {
    if (this.kind === 'error') {
      return html`<div class="error" role="alert">
        <div class="message">${this.message || 'The dashboard could not load this.'}</div>
        ${this.detail ? html`<div class="detail muted">${this.detail}</div>` : null}
        <button @click=${() => this.dispatchEvent(new CustomEvent('retry', { bubbles: true, composed: true }))}>Retry</button>
      </div>`;
    }
    return html`<div role="status" class=${this.kind}>
      <div class="message">${this.message || (this.kind === 'loading' ? 'Loading…' : 'Nothing here yet.')}</div>
      ${this.detail ? html`<div class="detail muted">${this.detail}</div>` : null}
      <slot></slot>
    </div>`;
  }
}
customElements.define('status-message', StatusMessage);

declare global {
  interface HTMLElementTagNameMap {
    'status-message': StatusMessage;
  }
}
