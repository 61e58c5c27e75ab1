import { LitElement, css, html } from 'lit';
import type { DecisionDetail, ExportResult, RecordFilters, RequestOutcome, TimeRange } from '../../src/shared/webview-protocol';
import { baseStyles } from './base-styles';
import './decision-detail-view';
import { describeSource } from './describe-source';
import { formatCount } from './format-count';
import type { HostConnection } from './host-connection';
import { RecordPageCache } from './record-page-cache';
import { type RecordsTable, type RowOpenDetail } from './records-table';
import './records-table';
import './status-message';
import { TIME_RANGE_LABELS } from './time-range-labels';

const OUTCOMES: RequestOutcome[] = ['ok', 'error', 'partial', 'cancelled', 'blocked'];
/** Typing in the search box waits this long for the next key before asking the host. */
const SEARCH_DELAY_MS = 300;
/** Bursts of finished requests are folded into one refresh of the rows in view. */
const LIVE_REFRESH_DELAY_MS = 250;

const DEFAULT_FILTERS: RecordFilters = { range: 'all' };

/**
 * The decision log: filters, the paged table, and the decision of the row opened. Rows come
 * from the host one page at a time ({@link RecordPageCache}); the host resolves every filter.
 */
export class DecisionLogView extends LitElement {
  static override properties = {
    connection: { attribute: false },
    filters: { state: true },
    facets: { state: true },
    detail: { state: true },
    detailStatus: { state: true },
    detailError: { state: true },
    selectedId: { state: true },
    exportMessage: { state: true },
    activated: { state: true },
  };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100%;
        min-height: 0;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: end;
        margin-bottom: 8px;
      }
      .toolbar .search {
        flex: 1 1 180px;
      }
      .toolbar .search input {
        width: 100%;
        box-sizing: border-box;
      }
      .toolbar select {
        max-width: 180px;
      }
      .spacer {
        flex: 1;
      }
      .count {
        margin-bottom: 6px;
        display: flex;
        justify-content: space-between;
        gap: 8px;
      }
      .content {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: 1fr;
        gap: 0;
      }
      .content.with-detail {
        grid-template-columns: minmax(0, 1fr) minmax(340px, 36%);
      }
      records-table {
        height: 100%;
      }
      decision-detail-view {
        min-height: 0;
      }
      @media (max-width: 900px) {
        .content.with-detail {
          grid-template-columns: 1fr;
          grid-template-rows: minmax(0, 1fr) minmax(0, 1.4fr);
        }
      }
    `,
  ];

  declare connection: HostConnection;
  declare filters: RecordFilters;
  declare facets: { models: string[]; providers: string[]; sources: string[] };
  declare detail: DecisionDetail | null | undefined;
  declare detailStatus: 'loading' | 'ready' | 'error';
  declare detailError: string;
  declare selectedId: string | undefined;
  declare exportMessage: string;
  /** The table mounts (and fetches its first page) when the tab is first shown, not at startup. */
  declare activated: boolean;
  private readonly cache = new RecordPageCache(
    (offset, limit) => this.connection.request('query-records', { filters: this.filters, offset, limit }),
    () => this.requestUpdate(),
  );
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingReveal: number | undefined;
  private detailGeneration = 0;
  private facetsLoaded = false;

  constructor() {
    super();
    this.filters = DEFAULT_FILTERS;
    this.facets = { models: [], providers: [], sources: [] };
    this.detail = undefined;
    this.detailStatus = 'loading';
    this.detailError = '';
    this.selectedId = undefined;
    this.exportMessage = '';
    this.activated = false;
  }

  private get table(): RecordsTable | null {
    return this.renderRoot.querySelector('records-table');
  }

  /** Called when the tab is shown: loads the filter choices once. */
  activate(): void {
    this.activated = true;
    if (!this.facetsLoaded) void this.loadFacets();
  }

  /** A request finished: refresh the rows in view (and the filter choices), a burst at a time. */
  recordAdded(): void {
    if (this.liveTimer !== undefined) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.cache.invalidate();
      this.requestUpdate();
      if (this.facetsLoaded) void this.loadFacets();
    }, LIVE_REFRESH_DELAY_MS);
  }

  /** Shows a decision: filters cleared, the row scrolled into view and made active, its detail open. */
  async reveal(id: string): Promise<void> {
    this.setFilters(DEFAULT_FILTERS);
    void this.openDecision(id);
    try {
      const { index } = await this.connection.request('query-locate', { filters: DEFAULT_FILTERS, id });
      if (index !== null) {
        this.pendingReveal = index;
        this.requestUpdate();
      }
    } catch {
      // The detail pane says what went wrong; the table simply stays at the top.
    }
  }

  override updated(): void {
    if (this.pendingReveal !== undefined && this.cache.total !== undefined && this.table) {
      const index = this.pendingReveal;
      this.pendingReveal = undefined;
      this.table.setActive(index, 'center');
    }
    if (this.table) {
      this.table.selectedId = this.selectedId;
      this.table.requestUpdate();
    }
  }

  private async loadFacets(): Promise<void> {
    try {
      const summary = await this.connection.request('query-summary', { range: 'all' });
      this.facets = summary.facets;
      this.facetsLoaded = true;
    } catch {
      // Filters still work by text; the choices are retried with the next refresh.
    }
  }

  private setFilters(filters: RecordFilters): void {
    this.filters = filters;
    this.cache.reset();
    this.table?.resetScroll();
    this.requestUpdate();
  }

  private updateFilter<K extends keyof RecordFilters>(key: K, value: RecordFilters[K] | ''): void {
    const next: RecordFilters = { ...this.filters };
    if (value === '' || value === undefined) delete next[key];
    else next[key] = value as RecordFilters[K];
    if (next.range === undefined) next.range = 'all';
    this.setFilters(next);
  }

  private async openDecision(id: string): Promise<void> {
    const generation = ++this.detailGeneration;
    this.selectedId = id;
    this.detail = undefined;
    this.detailStatus = 'loading';
    try {
      const detail = await this.connection.request('query-decision', { id });
      if (generation !== this.detailGeneration) return;
      this.detail = detail;
      this.detailStatus = 'ready';
    } catch (error) {
      if (generation !== this.detailGeneration) return;
      this.detailError = error instanceof Error ? error.message : String(error);
      this.detailStatus = 'error';
    }
  }

  private closeDecision(): void {
    this.detailGeneration++;
    this.selectedId = undefined;
    this.detail = undefined;
    this.table?.focus();
  }

  private async exportAs(format: 'csv' | 'json'): Promise<void> {
    this.exportMessage = `Exporting ${format.toUpperCase()}…`;
    try {
      const result: ExportResult = await this.connection.request('export', { format, filters: this.filters });
      this.exportMessage = result.saved
        ? `Exported${result.records === undefined ? '' : ` ${formatCount(result.records)} records`}${result.location ? ` to ${result.location}` : ''}.`
        : 'Export cancelled.';
    } catch (error) {
      this.exportMessage = `Export failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private readonly onSearchInput = (event: Event): void => {
    const text = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.updateFilter('text', text.trim()), SEARCH_DELAY_MS);
  };

  private readonly onSearchKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter') {
      clearTimeout(this.searchTimer);
      this.updateFilter('text', (event.target as HTMLInputElement).value.trim());
    }
  };

  private isFiltered(): boolean {
    const { range, ...rest } = this.filters;
    return range !== 'all' || Object.values(rest).some((value) => value !== undefined && value !== '');
  }

  override render() {
    if (!this.activated) return null;
    const f = this.filters;
    const total = this.cache.total;
    const open = this.selectedId !== undefined;
    return html`
      <div class="toolbar" role="search" aria-label="Filter the decision log">
        <label class="field"
          >Time
          <select aria-label="Time range" @change=${(e: Event) => this.updateFilter('range', (e.target as HTMLSelectElement).value as TimeRange)}>
            ${TIME_RANGE_LABELS.map(([value, label]) => html`<option value=${value} ?selected=${value === f.range}>${label}</option>`)}
          </select></label
        >
        ${this.renderChoice('Model', 'model', this.facets.models, (key) => key)}
        ${this.renderChoice('Provider', 'provider', this.facets.providers, (key) => key)}
        ${this.renderChoice('Source', 'source', this.facets.sources, describeSource)}
        ${this.renderChoice('Outcome', 'outcome', OUTCOMES, (key) => key)}
        <label class="field search"
          >Search
          <input
            type="search"
            aria-label="Search the decision log"
            placeholder="Model, error, reason, id…"
            .value=${f.text ?? ''}
            @input=${this.onSearchInput}
            @keydown=${this.onSearchKey}
        /></label>
        <button class="secondary" ?disabled=${!this.isFiltered()} @click=${() => this.setFilters(DEFAULT_FILTERS)}>Clear filters</button>
        <span class="spacer"></span>
        <button class="secondary" @click=${() => void this.exportAs('csv')}>Export CSV</button>
        <button class="secondary" @click=${() => void this.exportAs('json')}>Export JSON</button>
      </div>
      <div class="count">
        <span class="muted" role="status" aria-live="polite"
          >${total === undefined ? 'Loading…' : `${total.toLocaleString('en-US')} ${total === 1 ? 'request' : 'requests'}`}</span
        >
        <span class="muted" role="status">${this.exportMessage}</span>
      </div>
      ${this.cache.error !== undefined
        ? html`<status-message
            kind="error"
            message="Could not load the decision log."
            .detail=${this.cache.error}
            @retry=${() => (total === undefined ? this.setFilters(this.filters) : this.table?.retry())}
          ></status-message>`
        : null}
      ${total === 0
        ? this.isFiltered()
          ? html`<status-message kind="empty" message="No requests match these filters."
              ><button class="secondary" @click=${() => this.setFilters(DEFAULT_FILTERS)}>Clear filters</button></status-message
            >`
          : html`<status-message kind="empty" message="No requests yet — ask @perpetuo something" detail="Each request appears here as it finishes: which model served it, why, and what it cost."></status-message>`
        : null}
      <div class="content ${open ? 'with-detail' : ''}" ?hidden=${total === 0}>
        <records-table .cache=${this.cache} @row-open=${(e: CustomEvent<RowOpenDetail>) => void this.openDecision(e.detail.id)}></records-table>
        ${open
          ? html`<decision-detail-view
              .detail=${this.detail}
              .status=${this.detailStatus}
              .error=${this.detailError}
              @close=${() => this.closeDecision()}
              @reload=${() => this.selectedId && void this.openDecision(this.selectedId)}
            ></decision-detail-view>`
          : null}
      </div>
    `;
  }

  private renderChoice<K extends 'model' | 'provider' | 'source' | 'outcome'>(label: string, key: K, values: readonly string[], describe: (value: string) => string) {
    const current = this.filters[key] ?? '';
    // Keep a value chosen before the choices arrived (a reveal, a restored state) selectable.
    const options = current && !values.includes(current) ? [current, ...values] : values;
    return html`<label class="field"
      >${label}
      <select aria-label=${`${label} filter`} @change=${(e: Event) => this.updateFilter(key, (e.target as HTMLSelectElement).value as RecordFilters[K])}>
        <option value="" ?selected=${current === ''}>All</option>
        ${options.map((value) => html`<option value=${value} ?selected=${value === current}>${describe(value)}</option>`)}
      </select></label
    >`;
  }
}
customElements.define('decision-log-view', DecisionLogView);

declare global {
  interface HTMLElementTagNameMap {
    'decision-log-view': DecisionLogView;
  }
}
