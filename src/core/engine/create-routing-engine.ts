import { describeUnservableAttachments } from '../attachments/describe-unservable-attachments';
import type { CatalogEndpoint, CatalogModel } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors/perpetuo-error';
import { maskKey, redactSecrets } from '../errors/redact-secrets';
import type { EffectiveGuardrail } from '../guardrails/merge-guardrails';
import type { BudgetStore } from '../guardrails/open-budget-store';
import { mapGuardrailToRoutingPolicy } from '../guardrails/map-guardrail-to-routing-policy';
import { planNearLimitAdjustments } from '../guardrails/plan-near-limit-adjustments';
import { resolveEffectiveGuardrail, type GuardrailSources } from '../guardrails/resolve-effective-guardrail';
import { type BudgetSettlement, withBudget } from '../guardrails/with-budget';
import type { HttpOptions } from '../http/http-options';
import type { Ledger } from '../ledger/open-ledger';
import type { LedgerRecord } from '../ledger/ledger-record';
import type { ProviderConfig } from '../providers/provider-config';
import { driverFor } from '../providers/provider-registry';
import type { CircuitBreaker } from '../routing/circuit-breaker';
import type { DecisionRecord } from '../routing/decision-record';
import { executeRoutePlan } from '../routing/execute-route-plan';
import type { LiveMetrics } from '../routing/live-metrics';
import { planRoute } from '../routing/plan-route';
import type { RoutePlan, RouteTarget } from '../routing/route-plan';
import { parseProviderPreferences } from '../routing/provider-preferences';
import type { RoutingPolicy } from '../routing/routing-policy';
import type { ChatRequest } from '../spec/chat-request';
import { pdfTokensPerPageFor } from '../tokens/estimate-media-tokens';
import { estimateRequestTokens } from '../tokens/estimate-request-tokens';
import { isContentPart, type ChatStreamPart } from '../spec/chat-stream-part';
import { type AttachmentSettings, DEFAULT_ATTACHMENT_SETTINGS, type PdfTextModule } from './attachment-settings';
import { buildLedgerRecord } from './build-ledger-record';
import { countAttachmentPages } from './count-attachment-pages';
import { everyCandidateReadsFiles } from './every-candidate-reads-files';
import { listRoutableModels } from './list-routable-models';
import { measurePdfPrompt } from './measure-pdf-prompt';
import { createPdfTextCache } from './pdf-text-cache';
import { createPdfTextMemo } from './pdf-text-memo';
import type { CallSummary, RoutableModel, RouteOptions, RoutedCall, RoutingEngine, ServedTarget } from './routed-call';
import { screenPlanTargets } from './screen-plan-targets';
import { trackStreamClosing } from './track-stream-closing';
import { isExtractablePdf, viewRequestForPlanning } from './view-request-for-planning';
import { withAttachmentsPrepared } from './with-attachments-prepared';

/** Everything the engine composes; every side effect is injected. */
export interface RoutingEngineOptions {
  /** The catalog to route over; read on every request so a refresh applies at once. */
  catalog: () => { readonly models: readonly CatalogModel[] };
  /** Providers the user can call (keys loaded). */
  providers: readonly ProviderConfig[];
  /** The user's routing settings (strategy, priority, auto candidates); guardrails are overlaid per request. */
  policy: () => RoutingPolicy;
  /** Settings and `.perpetuo/policy.json`, read per request (a file error blocks, fail-closed). */
  guardrails: () => GuardrailSources;
  /** A stable id of the workspace for workspace budgets; undefined for an empty window or `perpetuo serve` without one. */
  workspaceId?: string;
  budgets: BudgetStore;
  ledger: Ledger;
  metrics: LiveMetrics;
  circuit: CircuitBreaker;
  http?: HttpOptions;
  clock?: () => number;
  newId?: () => string;
  /** Store prompt text in the ledger (off unless the user turned it on). */
  logPrompts?: () => boolean;
  /** A stalled first target is abandoned for the next after this long (before any output). */
  firstContentTimeoutMs?: number;
  /** Called after each ledger line is written (dashboard live updates, status bar). */
  onRecord?: (record: LedgerRecord) => void;
  onWarning?: (message: string) => void;
  /** The user's attachment settings (PDF engine, page limit), read per request; defaults when absent. */
  attachments?: () => AttachmentSettings;
  /**
   * Loads PDF.js for PDF text extraction (src/core/attachments/extract-pdf-text.ts). Injected so
   * that a host can keep it out of its main bundle; without it, a PDF reaches only models that
   * read PDFs.
   */
  loadPdfText?: () => Promise<PdfTextModule>;
}

/** Without a request cap, the reservation assumes this many output tokens at most. */
const DEFAULT_RESERVED_OUTPUT_TOKENS = 8_192;

/** The output tokens a reservation holds for this endpoint: the request's cap, else the endpoint's most, else the default. */
function reservedOutputTokens(request: ChatRequest, endpoint: CatalogEndpoint | undefined): number {
  return request.maxOutputTokens ?? endpoint?.maxOutputTokens ?? DEFAULT_RESERVED_OUTPUT_TOKENS;
}

/**
 * The routing engine: plan (pure) → execute (fallbacks before the first output) → each call held
 * to the budgets → one ledger line per request. Every surface — chat participant, model picker,
 * code actions, the localhost endpoint — goes through `route`.
 */
export function createRoutingEngine(options: RoutingEngineOptions): RoutingEngine {
  const clock = options.clock ?? Date.now;
  const newId = options.newId ?? (() => `req_${clock().toString(36)}_${Math.random().toString(36).slice(2, 10)}`);
  const providers = new Map(options.providers.map((config) => [config.id, config]));
  // A provider of a kind no driver speaks fails here, by name, not on its first request.
  for (const config of options.providers) {
    try {
      driverFor(config.kind);
    } catch (error) {
      throw new PerpetuoError({ kind: 'config', message: `Provider "${config.id}": ${PerpetuoError.from(error, { kind: 'config' }).message}`, isRetryable: false });
    }
  }
  const available = new Set(providers.keys());
  const kinds = options.providers.map((config) => config.kind);
  const pdfTextMemo = createPdfTextMemo();

  function route(request: ChatRequest, routeOptions: RouteOptions, signal: AbortSignal): RoutedCall {
    const id = newId();
    const started = clock();
    let served: ServedTarget | undefined;
    // Perpetuo's own time (planning, guardrails) before the first upstream call is made.
    let overheadMs: number | undefined;
    let resolveSettled: (summary: CallSummary) => void = () => undefined;
    const settled = new Promise<CallSummary>((resolve) => (resolveSettled = resolve));

    const attachmentSettings = options.attachments?.() ?? DEFAULT_ATTACHMENT_SETTINGS;
    // Each inline PDF's text, extracted once for the planner's estimate and every text target (and kept for the next turn).
    const pdfText = createPdfTextCache(attachmentSettings, options.loadPdfText, pdfTextMemo);
    const hasInlinePdf = request.messages.some((message) => message.role === 'user' && message.content.some(isExtractablePdf));

    async function* run(): AsyncGenerator<ChatStreamPart> {
      let plan: RoutePlan | undefined;
      let guardrail: EffectiveGuardrail | undefined;
      let decision: DecisionRecord | undefined;
      let failure: PerpetuoError | undefined;
      let firstContentAt: number | undefined;
      // What an aggregator says served it (OpenRouter's upstream provider and generation id), for reconciling bills.
      let upstream: { provider?: string; id?: string } = {};
      const settlements: BudgetSettlement[] = [];
      // The executor ends finished or abandoned streams without waiting for them; their budget
      // settlement still runs, and the ledger line must wait for it to know what was charged.
      const streamsClosed: Array<Promise<void>> = [];
      let executed: AsyncIterator<ChatStreamPart> | undefined;
      let decided: Promise<DecisionRecord> | undefined;
      let finished = false;
      let calls = 0;
      let current: RouteTarget | undefined;
      try {
        try {
          guardrail = resolveEffectiveGuardrail(options.guardrails(), { workspaceId: options.workspaceId, appName: routeOptions.app });
          const overlaid = mapGuardrailToRoutingPolicy(guardrail, options.policy());
          const nearLimit = planNearLimitAdjustments(await options.budgets.status(guardrail.budgets), overlaid);
          nearLimit.warnings.forEach((warning) => options.onWarning?.(warning.message));
          // A PDF's text is extracted before planning only when some target could be sent it.
          const textMayGo = hasInlinePdf && (attachmentSettings.pdfEngine === 'text' || !everyCandidateReadsFiles([routeOptions.model, ...(routeOptions.models ?? [])], options.catalog(), available));
          const pdfPrompt = hasInlinePdf ? await measurePdfPrompt(request, pdfText, attachmentSettings, kinds, textMayGo) : undefined;
          plan = planWithAttachments(request, routeOptions, nearLimit.policy, pdfPrompt?.floor);
          const costCapUsd = guardrail.maxCostPerRequestUsd;
          const screened = screenPlanTargets({
            plan,
            request,
            providers,
            endpointFor: (target) => findEndpoint(options.catalog().models, target),
            settings: attachmentSettings,
            pdfPages: await countAttachmentPages(request, plan, { settings: attachmentSettings, loadPdfText: options.loadPdfText, endpointFor: (target) => findEndpoint(options.catalog().models, target) }),
            pdfPrompt: pdfPrompt && { sizes: pdfPrompt, requestedMaxOutput: request.maxOutputTokens },
            costCap: costCapUsd === undefined ? undefined : { usd: costCapUsd, reservedOutputTokens: (endpoint) => reservedOutputTokens(request, endpoint) },
          });
          plan = screened.plan;
          if (screened.refusal) {
            throw screened.refusal;
          }
        } catch (error) {
          failure = PerpetuoError.from(error, { kind: 'config' });
          yield { type: 'error', error: failure };
          return;
        }
        const effective = guardrail;
        const promptTokens = plan.estimates.promptTokens;
        const execution = executeRoutePlan(plan, request, {
          createModel: (target) => {
            calls += 1;
            current = target;
            overheadMs ??= clock() - started;
            const config = providers.get(target.provider);
            if (!config) {
              throw new PerpetuoError({ kind: 'config', message: `No key or configuration for provider "${target.provider}".` });
            }
            const model = driverFor(config.kind).createChatModel(config, target.upstreamModelId, options.http);
            const endpoint = findEndpoint(options.catalog().models, target);
            const budgeted = withBudget(model, {
              endpointPricing: endpoint?.pricing ?? { input: undefined, output: undefined },
              // The planner counted the least any target is sent; the reservation counts what this
              // target is sent: the extracted text, or the file's pages at its provider's rate.
              estimatePromptTokens: hasInlinePdf ? (prepared) => estimateRequestTokens(prepared, { pdfTokensPerPage: pdfTokensPerPageFor(config.kind) }) : () => promptTokens,
              maxOutputTokens: reservedOutputTokens(request, endpoint),
              guardrails: effective,
              store: options.budgets,
              clock,
              requestId: `${id}:${calls}`,
              onSettled: (settlement) => settlements.push(settlement),
              onWarning: options.onWarning,
            });
            return trackStreamClosing(withAttachmentsPrepared(budgeted, { endpoint, settings: attachmentSettings, pdfText }), streamsClosed);
          },
          metrics: options.metrics,
          circuit: options.circuit,
          clock,
          signal,
          firstContentTimeoutMs: options.firstContentTimeoutMs,
        });
        executed = execution.stream[Symbol.asyncIterator]();
        decided = execution.decision;
        for (let next = await executed.next(); next.done !== true; next = await executed.next()) {
          const part = next.value;
          if (firstContentAt === undefined && isContentPart(part) && current) {
            firstContentAt = clock();
            served = { modelId: current.modelId, provider: current.provider, upstreamModelId: current.upstreamModelId, fallbacks: calls - 1, reason: current.why };
          }
          if (part.type === 'error') {
            failure = part.error;
          } else if (part.type === 'response-metadata') {
            upstream = { provider: part.upstreamProvider, id: part.id };
          } else if (part.type === 'finish') {
            finished = true;
          }
          yield part;
        }
        decision = await execution.decision;
      } finally {
        if (decision === undefined && executed !== undefined && decided !== undefined) {
          // The consumer stopped reading. At the finish its answer is complete (the endpoint stops
          // there): read the little that is left of the upstream stream, so the attempt is
          // recorded as served rather than abandoned. Before the finish, it is a cancellation.
          if (finished && !signal.aborted) {
            await drain(executed);
          } else {
            await executed.return?.()?.catch?.(() => undefined);
          }
          decision = await decided;
        }
        await Promise.all(streamsClosed);
        const record = buildLedgerRecord({
          id,
          startedAt: started,
          finishedAt: clock(),
          firstContentAt,
          source: routeOptions.source,
          requestedModel: routeOptions.model,
          strategy: plan?.strategy,
          plan,
          decision,
          settlements,
          failure,
          aborted: signal.aborted,
          keyId: keyIdFor(decision?.served?.provider ?? served?.provider),
          upstream,
          prompt: options.logPrompts?.() ? redactPrompt(request) : undefined,
          attribution: attributionFor(routeOptions),
        });
        const summary: CallSummary = {
          id,
          outcome: record.outcome,
          served,
          inputTokens: record.tokens.input.total,
          outputTokens: record.tokens.output.total,
          costUsd: record.cost.chargedUsd,
          latencyMs: record.latencyMs,
          ttftMs: record.ttftMs,
          overheadMs: overheadMs ?? clock() - started,
        };
        settleWhenRecorded(options, record, settlements.length > 0, resolveSettled.bind(undefined, summary));
      }
    }

    return { id, stream: run(), served: () => served, settled, overheadMs: () => (served ? overheadMs : undefined) };
  }

  function planFor(request: ChatRequest, routeOptions: RouteOptions, policy: RoutingPolicy, promptTokens?: number): RoutePlan {
    return planRoute(
      {
        model: routeOptions.model,
        chat: request,
        models: routeOptions.models,
        provider: routeOptions.provider ? parseProviderPreferences(routeOptions.provider) : undefined,
        promptTokens,
      },
      options.catalog(),
      available,
      policy,
      // Not `{ ...snapshot, openCircuits }`: V8 gives that literal a new hidden class on every call,
      // and each read of it in the planner would miss its inline cache.
      { endpoints: options.metrics.snapshot().endpoints, openCircuits: options.circuit.openEndpoints() },
    );
  }

  /**
   * Plans over the request with its inline PDFs as text (each target gets the file or its text
   * later), sized as the least any target is sent (`promptTokens`, from `measurePdfPrompt`). When
   * nothing can serve it and an image, audio or video attachment is why, the error names that
   * modality and the models that could read it, not the planner's rejection list.
   */
  function planWithAttachments(request: ChatRequest, routeOptions: RouteOptions, policy: RoutingPolicy, promptTokens: number | undefined): RoutePlan {
    const planned = viewRequestForPlanning(request);
    try {
      return planFor(planned, routeOptions, policy, promptTokens);
    } catch (error) {
      if (error instanceof PerpetuoError && error.kind === 'no-eligible-model') {
        const unservable = describeUnservableAttachments(withoutExtractablePdfs(request), { catalog: options.catalog().models, availableProviders: available });
        if (unservable !== undefined) {
          throw unservable;
        }
      }
      throw error;
    }
  }

  function keyIdFor(provider: string | undefined): string | undefined {
    const key = provider ? providers.get(provider)?.apiKey : undefined;
    return key ? maskKey(key) : undefined;
  }

  return {
    route,
    listModels(): RoutableModel[] {
      return listRoutableModels(options.catalog().models, available);
    },
    previewRoute(request, routeOptions) {
      const guardrail = resolveEffectiveGuardrail(options.guardrails(), { workspaceId: options.workspaceId, appName: routeOptions.app });
      return planFor(viewRequestForPlanning(request), routeOptions, mapGuardrailToRoutingPolicy(guardrail, options.policy()));
    },
  };
}

/**
 * Hands the record to the ledger (which serializes it at once) and resolves the call's `settled`
 * once the line is on disk, and the budget settlement too if there was one. Not awaited by the
 * call's stream, and a function of its own, so that the request's state (its messages, parts and
 * generators) is not held through the gather and sync windows: held that long, every request's
 * state would outlive the young generation. Only the record is, when `onRecord` waits for it.
 */
function settleWhenRecorded(options: Pick<RoutingEngineOptions, 'ledger' | 'budgets' | 'onRecord' | 'onWarning'>, record: LedgerRecord, budgeted: boolean, done: () => void): void {
  const { id } = record;
  const { onRecord, onWarning } = options;
  const deliver = onRecord === undefined ? undefined : onRecord.bind(undefined, record);
  let appended: Promise<unknown>;
  try {
    // The budget's settlement went out before the record was built: `settled` means both are on disk.
    appended = Promise.all([options.ledger.append(record), budgeted ? options.budgets.flush() : undefined]);
  } catch (error) {
    appended = Promise.reject(error);
  }
  appended.then(
    () => {
      try {
        deliver?.();
      } catch (error) {
        onWarning?.(`A listener of the decision log failed on request ${id}: ${PerpetuoError.from(error, { kind: 'server' }).message}`);
      } finally {
        done();
      }
    },
    (error: unknown) => {
      onWarning?.(`The decision log could not record request ${id}: ${PerpetuoError.from(error, { kind: 'server' }).message}`);
      done();
    },
  );
}

/** Reads a stream to its end, ignoring what is left: the consumer already has its answer. */
async function drain(parts: AsyncIterator<ChatStreamPart>): Promise<void> {
  try {
    for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
      // Nothing to forward after the finish.
    }
  } catch {
    // The answer was complete; a fault in what followed it changes nothing.
  }
}

function findEndpoint(models: readonly CatalogModel[], target: RouteTarget) {
  return models.find((m) => m.id === target.modelId)?.endpoints.find((e) => e.provider === target.provider && e.upstreamModelId === target.upstreamModelId);
}

/** Prompt text for the ledger when prompt logging is on: text only, media as a placeholder, keys scrubbed. */
function redactPrompt(request: ChatRequest): unknown {
  return request.messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? redactSecrets(message.content)
        : message.content.map((part) => (part.type === 'text' ? redactSecrets(part.text) : `[${part.type}]`)).join(''),
  }));
}

function withoutExtractablePdfs(request: ChatRequest): ChatRequest {
  return { ...request, messages: request.messages.map((m) => (m.role === 'user' ? { ...m, content: m.content.filter((part) => !isExtractablePdf(part)) } : m)) };
}

/** The client's attribution, plus the surface's notes (what the user chose, e.g. to send without an attachment). */
function attributionFor(routeOptions: RouteOptions): Record<string, string | undefined> | undefined {
  const notes = routeOptions.notes?.filter((note) => note !== '');
  if (notes === undefined || notes.length === 0) {
    return routeOptions.attribution;
  }
  return { ...routeOptions.attribution, notes: notes.join(' | ') };
}
