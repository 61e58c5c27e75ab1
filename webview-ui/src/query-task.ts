import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * One query a view shows: loading, its value, or its error (with a retry). A refresh keeps the
 * last value on screen until the new one arrives, and a result that a later refresh overtook is
 * dropped, so fast filter changes never show stale rows.
 */
export class QueryTask<T> implements ReactiveController {
  status: 'idle' | 'loading' | 'ready' | 'error' = 'idle';
  value: T | undefined;
  error = '';
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly run: () => Promise<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    this.status = 'loading';
    this.host.requestUpdate();
    try {
      const value = await this.run();
      if (generation !== this.generation) return;
      this.value = value;
      this.status = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error instanceof Error ? error.message : String(error);
      this.status = 'error';
    }
    this.host.requestUpdate();
  }
}
