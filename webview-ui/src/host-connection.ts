import type { DashboardQueries, DashboardQueryType, HostToWebview, QueryMessage, WebviewToHost } from '../../src/shared/webview-protocol';

/** What VS Code's `acquireVsCodeApi()` returns (the part the dashboard uses). */
export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Host messages that arrive unasked. */
export type HostPush = Exclude<HostToWebview, { type: 'response' }>;

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

/**
 * The webview's end of the protocol: numbered queries, each settled by the host's one
 * response, and pushes fanned out to listeners. A response for a request nobody waits for any
 * more (the view moved on) is dropped here.
 */
export class HostConnection {
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(push: HostPush) => void>();

  constructor(
    private readonly api: VsCodeApi,
    target: Pick<Window, 'addEventListener'>,
  ) {
    target.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  request<K extends DashboardQueryType>(type: K, params: DashboardQueries[K]['params']): Promise<DashboardQueries[K]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise<DashboardQueries[K]['result']>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (value: never) => void, reject });
      this.api.postMessage({ ...params, type, requestId } as QueryMessage);
    });
  }

  send(message: Extract<WebviewToHost, { type: 'ready' | 'open-settings' }>): void {
    this.api.postMessage(message);
  }

  onPush(listener: (push: HostPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getState<T>(): Partial<T> {
    const state = this.api.getState();
    return typeof state === 'object' && state !== null ? (state as Partial<T>) : {};
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    const message = data as HostToWebview;
    if (message.type === 'response') {
      const pending = this.pending.get(message.requestId);
      if (pending === undefined) return;
      this.pending.delete(message.requestId);
      if (message.ok) pending.resolve(message.result as never);
      else pending.reject(new Error(message.error));
      return;
    }
    for (const listener of this.listeners) listener(message);
  }
}
