import { LitElement, css, html } from 'lit';
import { baseStyles } from './base-styles';
import './budgets-view';
import type { BudgetsView } from './budgets-view';
import './decision-log-view';
import type { DecisionLogView } from './decision-log-view';
import type { HostConnection, HostPush } from './host-connection';
import './overview-view';
import type { OverviewView } from './overview-view';
import './performance-view';
import type { PerformanceView } from './performance-view';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'log', label: 'Decision log' },
  { id: 'performance', label: 'Performance' },
  { id: 'budgets', label: 'Budgets' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

/**
 * The dashboard: four tabs (ARIA tabs, arrow keys between them) over views that stay mounted,
 * so the log keeps its scroll position. A view queries the host when first shown; pushes mark
 * the others stale so they refresh when shown again, not while hidden.
 */
export class DashboardApp extends LitElement {
  static override properties = { connection: { attribute: false }, tab: { state: true } };
  static override styles = [
    baseStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100vh;
        box-sizing: border-box;
        padding: 0 16px 12px;
      }
      [role='tablist'] {
        display: flex;
        gap: 4px;
        border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent));
        margin-bottom: 12px;
        flex: none;
      }
      [role='tab'] {
        font: inherit;
        background: none;
        color: var(--vscode-panelTitle-inactiveForeground, var(--vscode-descriptionForeground));
        border: none;
        border-bottom: 1px solid transparent;
        padding: 8px 10px 6px;
        cursor: pointer;
        text-transform: uppercase;
        font-size: 0.85em;
        letter-spacing: 0.04em;
      }
      [role='tab']:hover {
        color: var(--vscode-panelTitle-activeForeground, var(--vscode-foreground));
        background: none;
      }
      [role='tab'][aria-selected='true'] {
        color: var(--vscode-panelTitle-activeForeground, var(--vscode-foreground));
        border-bottom-color: var(--vscode-panelTitle-activeBorder, var(--vscode-focusBorder));
      }
      [role='tab']:focus-visible {
        outline: 1px solid var(--vscode-focusBorder);
        outline-offset: -1px;
      }
      [role='tabpanel'] {
        flex: 1;
        min-height: 0;
        overflow: auto;
      }
      [role='tabpanel'].log {
        overflow: hidden;
      }
    `,
  ];

  declare connection: HostConnection;
  declare tab: TabId;
  private readonly stale = new Set<TabId>(['overview', 'performance', 'budgets']);
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.tab = 'overview';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const saved = this.connection.getState<{ tab: TabId }>().tab;
    if (saved !== undefined && TABS.some((tab) => tab.id === saved)) this.tab = saved;
    this.unsubscribe = this.connection.onPush((push) => this.onPush(push));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override firstUpdated(): void {
    this.showTab(this.tab, false);
  }

  private view<T extends HTMLElement>(selector: string): T | null {
    return this.renderRoot.querySelector<T>(selector);
  }

  private onPush(push: HostPush): void {
    switch (push.type) {
      case 'record-added':
        this.view<DecisionLogView>('decision-log-view')?.recordAdded();
        this.markStale(['overview', 'performance', 'budgets']);
        break;
      case 'summary-changed':
        this.markStale(['overview', 'budgets']);
        break;
      case 'reveal-decision':
        this.showTab('log', false);
        void this.view<DecisionLogView>('decision-log-view')?.reveal(push.id);
        break;
      case 'init':
        break;
      default: {
        const unreachable: never = push;
        void unreachable;
      }
    }
  }

  /** Refreshes what is on screen now; the rest when next shown. */
  private markStale(tabs: TabId[]): void {
    for (const tab of tabs) this.stale.add(tab);
    if (this.stale.has(this.tab)) this.refreshTab(this.tab);
  }

  private refreshTab(tab: TabId): void {
    this.stale.delete(tab);
    switch (tab) {
      case 'overview':
        this.view<OverviewView>('overview-view')?.refresh();
        break;
      case 'performance':
        this.view<PerformanceView>('performance-view')?.refresh();
        break;
      case 'budgets':
        this.view<BudgetsView>('budgets-view')?.refresh();
        break;
      case 'log':
        this.view<DecisionLogView>('decision-log-view')?.activate();
        break;
    }
  }

  private showTab(tab: TabId, focus: boolean): void {
    this.tab = tab;
    this.connection.setState({ tab });
    if (this.stale.has(tab) || tab === 'log') this.refreshTab(tab);
    if (focus) void this.updateComplete.then(() => this.view<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  private readonly onTabKey = (event: KeyboardEvent): void => {
    const index = TABS.findIndex((tab) => tab.id === this.tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length];
    if (tab) this.showTab(tab.id, true);
  };

  override render() {
    return html`
      <div role="tablist" aria-label="Dashboard views" @keydown=${this.onTabKey}>
        ${TABS.map(
          (tab) => html`<button
            role="tab"
            id=${`tab-${tab.id}`}
            aria-selected=${tab.id === this.tab ? 'true' : 'false'}
            aria-controls=${`panel-${tab.id}`}
            tabindex=${tab.id === this.tab ? '0' : '-1'}
            @click=${() => this.showTab(tab.id, false)}
          >
            ${tab.label}
          </button>`,
        )}
      </div>
      <section role="tabpanel" id="panel-overview" aria-labelledby="tab-overview" ?hidden=${this.tab !== 'overview'}>
        <overview-view .connection=${this.connection}></overview-view>
      </section>
      <section role="tabpanel" class="log" id="panel-log" aria-labelledby="tab-log" ?hidden=${this.tab !== 'log'}>
        <decision-log-view .connection=${this.connection}></decision-log-view>
      </section>
      <section role="tabpanel" id="panel-performance" aria-labelledby="tab-performance" ?hidden=${this.tab !== 'performance'}>
        <performance-view .connection=${this.connection}></performance-view>
      </section>
      <section role="tabpanel" id="panel-budgets" aria-labelledby="tab-budgets" ?hidden=${this.tab !== 'budgets'}>
        <budgets-view .connection=${this.connection}></budgets-view>
      </section>
    `;
  }
}
customElements.define('dashboard-app', DashboardApp);

declare global {
  interface HTMLElementTagNameMap {
    'dashboard-app': DashboardApp;
  }
}
