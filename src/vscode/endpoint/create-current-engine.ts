import type * as vscode from 'vscode';
import type { RoutingEngine } from '../../core/engine/routed-call';
import { PerpetuoError } from '../../core/errors/perpetuo-error';
import type { PerpetuoContext } from '../perpetuo-context';

/** The engine the endpoint holds: every call goes to the window's latest engine. */
export interface CurrentEngine extends vscode.Disposable {
  engine: RoutingEngine;
  /** Resolves once the latest engine (or the reason there is none) is known. */
  ready(): Promise<void>;
}

/**
 * A RoutingEngine whose `route()` calls the window's current engine (`ctx.engine()`), which is
 * rebuilt when keys, provider settings or the catalog change. The endpoint server holds this one
 * object for its lifetime, so every request uses the same router, guardrails, budgets and
 * decision log as the editor, with the keys of that moment.
 *
 * `route()` is synchronous and `ctx.engine()` is not, so the latest engine is kept resolved: a
 * change starts a rebuild at once. While a rebuild runs (milliseconds) calls get a retryable 503
 * with `retry-after: 1` (the official SDKs retry it), never the previous engine: a key the user
 * just removed must not serve another request. With no keys at all they get the engine's own
 * error (what to do) until keys or settings change.
 */
export function createCurrentEngine(ctx: PerpetuoContext): CurrentEngine {
  let latest: RoutingEngine | undefined;
  let failure: unknown;
  let pending: Promise<void> | undefined;
  let generation = 0;

  const refresh = (): Promise<void> => {
    const mine = ++generation;
    const settled = ctx.engine().then(
      (engine) => {
        if (mine === generation) {
          latest = engine;
          failure = undefined;
        }
      },
      (error: unknown) => {
        if (mine === generation) {
          latest = undefined;
          failure = error;
        }
      },
    );
    pending = settled.finally(() => {
      if (mine === generation) {
        pending = undefined;
      }
    });
    return pending;
  };

  const current = (): RoutingEngine => {
    if (pending) {
      throw new PerpetuoError({
        kind: 'overloaded',
        message: 'Perpetuo is loading its providers after a change of keys or settings; retry in a moment.',
        retryAfterSeconds: 1,
      });
    }
    if (latest) {
      return latest;
    }
    throw failure ?? new PerpetuoError({ kind: 'config', message: 'Perpetuo has no routing engine yet.' });
  };

  const subscription = ctx.onDidChangeModels(() => void refresh());
  void refresh();

  return {
    engine: {
      route: (request, options, signal) => current().route(request, options, signal),
      listModels: () => latest?.listModels() ?? [],
    },
    ready: () => pending ?? Promise.resolve(),
    dispose: () => {
      generation++;
      subscription.dispose();
    },
  };
}
