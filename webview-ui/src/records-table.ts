import { LitElement, css, html } from 'lit';
import type { RecordRow } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import { describeSource } from './describe-source';
import { formatCount } from './format-count';
import { formatDuration } from './format-duration';
import { formatTime } from './format-time';
import { formatUsd } from './format-usd';
import type { RecordPageCache } from './record-page-cache';
import { setStyle } from './set-style';

/** Every row is this tall, so the scroll position alone says which rows are in view. */
export const ROW_HEIGHT = 26;
/** Rows rendered beyond each edge of the viewport, so a short scroll shows rows already there. */
const OVERSCAN = 8;

const COLUMNS = ['Time', 'Source', 'Requested → served', 'Provider', 'Tokens', 'Cost', 'Latency', 'Outcome'];

/** Details of the `row-open` event: the user opened a row (Enter or click). */
export interface RowOpenDetail {
  index: number;
  id: string;
}

/**
 * The decision log as an ARIA grid that renders only the rows in view and asks the page cache
 * for them; a total of 100,000 rows is just the height of a spacer. Keyboard: the grid is one tab
 * stop; arrows, Page Up/Down, Home/End move the active row (aria-activedescendant), Enter opens it.
 */
export class RecordsTable extends LitElement {
  static override properties = {
    cache: { attribute: false },
    activeIndex: { state: true },
    selectedId: { attribute: false },
    scrollTopPx: { state: true },
    viewportPx: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        min-height: 0;
      }
      .grid {
        height: 100%;
        overflow: auto;
        position: relative;
        border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent));
      }
      .row {
        display: grid;
        grid-template-columns: 10.5em 9em minmax(12em, 3fr) 6.5em 8.5em 6.5em 5.5em 5.5em;
        height: ${ROW_HEIGHT}px;
        line-height: ${ROW_HEIGHT}px;
        min-width: 66em;
      }
      .head {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--vscode-editor-background);
        border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent));
        font-weight: 600;
        color: var(--vscode-descriptionForeground);
      }
      .body {
        position: relative;
        height: var(--body-height, 0px);
      }
      .body .row {
        position: absolute;
        left: 0;
        right: 0;
        top: var(--top, 0px);
        cursor: pointer;
      }
      .cell {
        padding: 0 8px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .body .row:hover {
        background: var(--vscode-list-hoverBackground);
      }
      .body .row.selected {
        background: var(--vscode-list-inactiveSelectionBackground);
        color: var(--vscode-list-inactiveSelectionForeground, inherit);
      }
      .grid:focus .row.selected {
        background: var(--vscode-list-activeSelectionBackground);
        color: var(--vscode-list-activeSelectionForeground, inherit);
      }
      .grid:focus .row.active {
        outline: 1px solid var(--vscode-list-focusOutline, var(--vscode-focusBorder));
        outline-offset: -1px;
      }
      .grid:focus {
        outline: 1px solid var(--vscode-focusBorder);
        outline-offset: -1px;
      }
      .placeholder .cell {
        color: var(--vscode-descriptionForeground);
      }
      .arrow {
        color: var(--vscode-descriptionForeground);
      }
    `,
  ];

  declare cache: RecordPageCache | undefined;
  declare activeIndex: number;
  declare selectedId: string | undefined;
  declare scrollTopPx: number;
  declare viewportPx: number;
  private resizeObserver: ResizeObserver | undefined;
  /** A scroll asked for before the rows it needs were rendered (a reveal right after the total arrived). */
  private pendingScroll: 'nearest' | 'center' | undefined;

  constructor() {
    super();
    this.cache = undefined;
    this.activeIndex = 0;
    this.selectedId = undefined;
    this.scrollTopPx = 0;
    this.viewportPx = 600;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => {
      const grid = this.grid;
      if (grid && grid.clientHeight > 0) this.viewportPx = grid.clientHeight;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
  }

  override firstUpdated(): void {
    if (this.grid) this.resizeObserver?.observe(this.grid);
  }

  private get grid(): HTMLElement | null {
    return this.renderRoot.querySelector('.grid');
  }

  private get total(): number {
    return this.cache?.total ?? 0;
  }

  /** Rows of the body that fit in the viewport (below the sticky header). */
  private get rowsInView(): number {
    return Math.max(1, Math.floor((this.viewportPx - ROW_HEIGHT) / ROW_HEIGHT));
  }

  override focus(): void {
    this.grid?.focus();
  }

  /** Makes `index` the active row and scrolls it into view (`center` for a reveal). */
  setActive(index: number, align: 'nearest' | 'center' = 'nearest'): void {
    const total = this.total;
    if (total === 0) return;
    this.activeIndex = Math.max(0, Math.min(total - 1, index));
    this.pendingScroll = align;
    this.requestUpdate();
  }

  /** Scrolls the active row into view; runs after render, when the spacer has the height of the total. */
  private scrollToActive(align: 'nearest' | 'center'): void {
    const grid = this.grid;
    if (!grid) return;
    const rowTop = this.activeIndex * ROW_HEIGHT;
    const bodyHeight = grid.clientHeight - ROW_HEIGHT;
    if (align === 'center') {
      grid.scrollTop = Math.max(0, rowTop - bodyHeight / 2);
    } else if (rowTop < grid.scrollTop) {
      grid.scrollTop = rowTop;
    } else if (rowTop + ROW_HEIGHT > grid.scrollTop + bodyHeight) {
      grid.scrollTop = rowTop + ROW_HEIGHT - bodyHeight;
    }
    this.scrollTopPx = grid.scrollTop;
  }

  /** Back to the top, for new filters. */
  resetScroll(): void {
    this.activeIndex = 0;
    if (this.grid) this.grid.scrollTop = 0;
    this.scrollTopPx = 0;
  }

  private visibleRange(): [number, number] {
    const first = Math.max(0, Math.floor(this.scrollTopPx / ROW_HEIGHT) - OVERSCAN);
    const last = Math.floor(this.scrollTopPx / ROW_HEIGHT) + this.rowsInView + OVERSCAN;
    return [first, this.cache?.total === undefined ? last : Math.min(last, this.total - 1)];
  }

  override updated(): void {
    if (this.pendingScroll !== undefined) {
      const align = this.pendingScroll;
      this.pendingScroll = undefined;
      this.scrollToActive(align);
    }
    const [first, last] = this.visibleRange();
    if (this.cache && this.cache.error === undefined) this.cache.ensure(first, Math.max(first, last));
  }

  /** Retries the pages in view after an error. */
  retry(): void {
    const [first, last] = this.visibleRange();
    this.cache?.retry(first, Math.max(first, last));
    this.requestUpdate();
  }

  override render() {
    const total = this.total;
    const [first, last] = this.visibleRange();
    const rows = [];
    for (let index = first; index <= last && index < total; index++) rows.push(this.renderRow(index));
    return html`<div
      class="grid"
      role="grid"
      aria-label="Decision log"
      aria-rowcount=${total + 1}
      aria-colcount=${COLUMNS.length}
      aria-activedescendant=${total > 0 ? `row-${this.activeIndex}` : ''}
      tabindex="0"
      @scroll=${this.onScroll}
      @keydown=${this.onKeyDown}
    >
      <div role="rowgroup" class="row head">
        ${COLUMNS.map((column, i) => html`<div role="columnheader" aria-colindex=${i + 1} class="cell ${i >= 4 && i <= 6 ? 'num' : ''}">${column}</div>`)}
      </div>
      <div role="rowgroup" class="body" ${setStyle({ '--body-height': `${total * ROW_HEIGHT}px` })}>${rows}</div>
    </div>`;
  }

  private renderRow(index: number) {
    const row = this.cache?.rowAt(index);
    const classes = `row${index === this.activeIndex ? ' active' : ''}${row !== undefined && row.id === this.selectedId ? ' selected' : ''}${row === undefined ? ' placeholder' : ''}`;
    const position = setStyle({ '--top': `${index * ROW_HEIGHT}px` });
    if (row === undefined) {
      return html`<div role="row" id=${`row-${index}`} aria-rowindex=${index + 2} aria-busy="true" class=${classes} ${position}>
        <div role="gridcell" class="cell">Loading…</div>
      </div>`;
    }
    return html`<div
      role="row"
      id=${`row-${index}`}
      aria-rowindex=${index + 2}
      aria-selected=${row.id === this.selectedId ? 'true' : 'false'}
      data-id=${row.id}
      class=${classes}
      ${position}
      @click=${() => this.open(index)}
    >
      ${this.renderCells(row)}
    </div>`;
  }

  private renderCells(row: RecordRow) {
    const served = row.servedModel ?? '—';
    const sameModel = row.servedModel === row.requestedModel;
    return html`
      <div role="gridcell" class="cell" title=${row.time}>${formatTime(row.time)}</div>
      <div role="gridcell" class="cell">${describeSource(row.source.detail === undefined ? row.source.kind : `${row.source.kind}:${row.source.detail}`)}</div>
      <div role="gridcell" class="cell" title=${`${row.requestedModel} → ${served}`}>
        ${sameModel ? served : html`${row.requestedModel} <span class="arrow">→</span> ${served}`}
      </div>
      <div role="gridcell" class="cell">${row.provider ?? '—'}</div>
      <div role="gridcell" class="cell num" title="input / output tokens">${formatCount(row.inputTokens)} / ${formatCount(row.outputTokens)}</div>
      <div role="gridcell" class="cell num">${formatUsd(row.chargedUsd)}</div>
      <div role="gridcell" class="cell num">${formatDuration(row.latencyMs)}</div>
      <div role="gridcell" class="cell outcome-${row.outcome}" title=${row.errorKind ?? ''}>${row.outcome}</div>
    `;
  }

  private open(index: number): void {
    this.activeIndex = index;
    const row = this.cache?.rowAt(index);
    if (row === undefined) return;
    this.dispatchEvent(new CustomEvent<RowOpenDetail>('row-open', { detail: { index, id: row.id }, bubbles: true, composed: true }));
  }

  private readonly onScroll = (event: Event): void => {
    this.scrollTopPx = (event.target as HTMLElement).scrollTop;
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const moves: Record<string, number | undefined> = {
      ArrowDown: this.activeIndex + 1,
      ArrowUp: this.activeIndex - 1,
      PageDown: this.activeIndex + this.rowsInView,
      PageUp: this.activeIndex - this.rowsInView,
      Home: 0,
      End: this.total - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      this.setActive(target);
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.open(this.activeIndex);
    }
  };
}
customElements.define('records-table', RecordsTable);

declare global {
  interface HTMLElementTagNameMap {
    'records-table': RecordsTable;
  }
}
