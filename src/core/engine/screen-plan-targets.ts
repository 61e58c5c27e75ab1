import type { CatalogEndpoint } from '../catalog/catalog-model';
import { checkAttachmentLimits } from '../attachments/check-attachment-limits';
import { createAttachmentLimitError } from '../attachments/create-attachment-limit-error';
import { PerpetuoError } from '../errors/perpetuo-error';
import { type CostCapExcess, describeCostCapExcess, describeCostCapRefusal } from '../guardrails/describe-cost-cap-refusal';
import { estimateReservation } from '../guardrails/estimate-reservation';
import { nanosToUsd, usdToNanos } from '../ledger/convert-usd-units';
import { usesOpenAIImagesApi } from '../providers/openai-compatible/uses-openai-images-api';
import type { ProviderConfig } from '../providers/provider-config';
import { describeFallbackCount, describeRejectedCount } from '../routing/describe-plan-counts';
import { describeTopReasons } from '../routing/format-rejections';
import { formatTokenCount } from '../routing/format-token-count';
import { formatUsd } from '../routing/format-usd';
import type { RejectedCandidate, RoutePlan, RouteTarget } from '../routing/route-plan';
import type { ChatRequest, FilePart } from '../spec/chat-request';
import type { AttachmentSettings } from './attachment-settings';
import type { PdfPromptSizes } from './measure-pdf-prompt';
import { isExtractablePdf } from './view-request-for-planning';

export interface ScreenTargetsInput {
  plan: RoutePlan;
  /** The request as the user sent it (PDFs still files). */
  request: ChatRequest;
  providers: ReadonlyMap<string, ProviderConfig>;
  endpointFor: (target: RouteTarget) => CatalogEndpoint | undefined;
  settings: AttachmentSettings;
  /** Pages of the inline PDFs, where they were counted. */
  pdfPages?: ReadonlyMap<FilePart, number>;
  /** The sizes of a request with inline PDFs: each target is held to the one it is sent. */
  pdfPrompt?: PdfPromptScreen;
  /** The guardrail's per-request cap, when one is set. */
  costCap?: CostCapScreen;
}

/** A request with inline PDFs: the sizes it can be sent at. */
export interface PdfPromptScreen {
  sizes: PdfPromptSizes;
  /** The request's max output tokens, when it sets one (counted in the window, as the planner does). */
  requestedMaxOutput: number | undefined;
}

/**
 * The per-request cap, held at what each target's budget reservation would hold (`withBudget`
 * refuses by the same figure): the prompt, and the output tokens the reservation assumes. The
 * planner checks the cap at the output it expects (the request's maximum, or ~1k tokens), so a
 * request that sets no maximum passes it where the reservation, at the endpoint's maximum output,
 * is far above the cap; screened here, such a target is passed over for the next.
 */
export interface CostCapScreen {
  usd: number;
  /** The output tokens the reservation assumes for an endpoint (the request's maximum, the endpoint's, or the default). */
  reservedOutputTokens: (endpoint: CatalogEndpoint | undefined) => number;
}

export interface ScreenedPlan {
  plan: RoutePlan;
  /** When no target is left: why the first one could not be used (names the file and the limit). */
  refusal: PerpetuoError | undefined;
}

/**
 * The checks the planner cannot make, run on its targets before anything is sent:
 * - each provider's published attachment limits (`checkAttachmentLimits`) on the request as that
 *   target would receive it — a PDF that target gets as text is not held to its PDF limits;
 * - a request with inline PDFs is held, target by target, to the size that target is sent (the
 *   PDFs as text or as files; the planner counted the least of them): its context window and the
 *   per-request cost cap;
 * - every request is held to the per-request cap at what each target's reservation would hold
 *   (`CostCapScreen`);
 * - image output goes only where an adapter speaks the image API: OpenRouter (`modalities`),
 *   Gemini (`responseModalities`) and OpenAI's image models (the Images API); the planner has
 *   already kept only endpoints whose catalog output modalities hold `image`.
 * - a request that declares Anthropic's own tools (web search) or carries their blocks goes only
 *   to providers of kind `anthropic`: no other API takes them, and dropping them would have a model
 *   answer without the search it was asked to run.
 * A target that fails moves to `rejected` (the decision log says why), so the next provider,
 * whose limits differ, is tried instead. When none is left, the first target's reason is the error.
 */
export function screenPlanTargets(input: ScreenTargetsInput): ScreenedPlan {
  const { plan, request } = input;
  const wantsImage = request.outputModalities?.includes('image') === true;
  const hasMedia = request.messages.some((message) => message.role === 'user' && message.content.some((part) => part.type !== 'text'));
  const anthropicOnly = describeAnthropicOnlyContent(request);
  if (!wantsImage && !hasMedia && anthropicOnly === undefined && input.costCap === undefined) {
    return { plan, refusal: undefined };
  }
  const kept: RouteTarget[] = [];
  const rejected: RejectedCandidate[] = [];
  let refusal: PerpetuoError | undefined;
  for (const target of plan.targets) {
    const config = input.providers.get(target.provider);
    if (wantsImage && !canGenerateImages(config, target.upstreamModelId)) {
      const detail = `Perpetuo generates images through OpenRouter, Gemini, and OpenAI's image models (gpt-image, DALL·E); ${target.modelId} via ${target.provider} is none of them`;
      rejected.push({ modelId: target.modelId, provider: target.provider, reason: 'output-modality', detail });
      refusal ??= new PerpetuoError({ kind: 'no-eligible-model', message: `${detail}. Add an OpenRouter, Gemini or OpenAI key to generate images.`, isRetryable: false });
      continue;
    }
    if (anthropicOnly !== undefined && config?.kind !== 'anthropic') {
      const detail = `${anthropicOnly} can only be sent to Anthropic, and ${target.provider} is not an Anthropic provider`;
      rejected.push({ modelId: target.modelId, provider: target.provider, reason: 'missing-parameter', detail });
      refusal ??= new PerpetuoError({
        kind: 'no-eligible-model',
        message: `${capitalize(anthropicOnly)} can only be sent to Anthropic; ${target.modelId} via ${target.provider} cannot serve this request. Add an Anthropic key and ask for a Claude model.`,
        isRetryable: false,
      });
      continue;
    }
    const endpoint = input.endpointFor(target);
    const acceptsFiles = endpoint?.inputModalities.includes('file') === true;
    const asText = input.settings.pdfEngine === 'text' || !acceptsFiles;
    const violations = hasMedia
      ? checkAttachmentLimits(asText ? withoutExtractablePdfs(request) : request, { id: target.provider, kind: config?.kind }, { pdfPageCount: (part) => input.pdfPages?.get(part) })
      : [];
    if (violations.length > 0) {
      rejected.push({ modelId: target.modelId, provider: target.provider, reason: 'attachment-limit', detail: violations.map((v) => v.message).join(' ') });
      refusal ??= createAttachmentLimitError(violations, target.provider);
      continue;
    }
    if (input.pdfPrompt !== undefined) {
      const oversize = checkPdfPromptSize(input.pdfPrompt, input.costCap, endpoint, asText, config?.kind);
      if (oversize !== undefined) {
        rejected.push({ modelId: target.modelId, provider: target.provider, ...oversize });
        refusal ??= new PerpetuoError({
          kind: oversize.reason === 'context-length' ? 'context-length' : 'policy',
          message: `${target.modelId} via ${target.provider} ${oversize.detail}. ${pdfSizeHint(oversize.reason, asText)}`,
          isRetryable: false,
        });
        continue;
      }
    } else if (input.costCap !== undefined && endpoint !== undefined) {
      const over = checkReservationCost(input.costCap, endpoint, plan.estimates.promptTokens);
      if (over !== undefined) {
        rejected.push({ modelId: target.modelId, provider: target.provider, reason: 'cost-cap', detail: describeCostCapExcess(over) });
        refusal ??= describeCostCapRefusal(`${target.modelId} via ${target.provider}`, over);
        continue;
      }
    }
    kept.push(target);
  }
  if (rejected.length === 0) {
    return { plan, refusal: undefined };
  }
  // The planner's explanation named its first target and ended with its counts: say what was
  // passed over and who goes first now, and count the fallbacks left, not the planner's.
  const first = kept[0];
  const plannerCounts = describeFallbackCount(plan.targets.length - 1) + describeRejectedCount(plan.rejected);
  const headline = plan.explanation.endsWith(plannerCounts) ? plan.explanation.slice(0, plan.explanation.length - plannerCounts.length) : plan.explanation;
  const goesFirst = first === undefined ? '' : `, so ${first.modelId} via ${first.provider} goes first${describeFallbackCount(kept.length - 1)}`;
  const screened: RoutePlan = {
    ...plan,
    targets: kept,
    rejected: [...plan.rejected, ...rejected],
    eligibleCount: Math.max(0, plan.eligibleCount - rejected.length),
    explanation: `${headline}${describeRejectedCount(plan.rejected)}; then passed over before sending: ${describeTopReasons(rejected)}${goesFirst}`,
  };
  return { plan: screened, refusal: kept.length === 0 ? refusal : undefined };
}

/**
 * The planner counted the least any target is sent (`PdfPromptSizes.floor`); this target is sent
 * the PDFs as text or as files, and is held to that size: its context window, and the per-request
 * cap at the cost its reservation would hold.
 */
function checkPdfPromptSize(
  screen: PdfPromptScreen,
  costCap: CostCapScreen | undefined,
  endpoint: CatalogEndpoint | undefined,
  asText: boolean,
  providerKind: string | undefined,
): Omit<RejectedCandidate, 'modelId' | 'provider'> | undefined {
  const promptTokens = screen.sizes.tokensFor(asText, providerKind);
  if (promptTokens === undefined || endpoint === undefined) {
    // Text that cannot be extracted fails when the target is tried, with the file's name.
    return undefined;
  }
  const form = asText ? 'the PDF as text' : 'the PDF as a file';
  const needed = promptTokens + (screen.requestedMaxOutput ?? 0);
  if (endpoint.contextLength !== undefined && needed > endpoint.contextLength) {
    const what = screen.requestedMaxOutput === undefined ? 'prompt' : 'prompt + max output';
    return { reason: 'context-length', detail: `needs ~${formatTokenCount(needed)} tokens (${what}, ${form}), window is ${formatTokenCount(endpoint.contextLength)}` };
  }
  const over = costCap === undefined ? undefined : checkReservationCost(costCap, endpoint, promptTokens);
  if (over !== undefined) {
    return { reason: 'cost-cap', detail: `est. ${formatUsd(nanosToUsd(over.nanos))} with ${form} is above your ${formatUsd(over.capUsd)}/request cap` };
  }
  return undefined;
}

/**
 * What the target's reservation would hold, when it is above the cap (`withBudget` would refuse
 * it by this figure). An unknown price is the planner's to refuse (`allowUnpriced`).
 */
function checkReservationCost(cap: CostCapScreen, endpoint: CatalogEndpoint, promptTokens: number): CostCapExcess | undefined {
  const outputTokens = cap.reservedOutputTokens(endpoint);
  const estimate = estimateReservation(endpoint.pricing, promptTokens, outputTokens);
  if (estimate.unknownPriceFields.length > 0 || estimate.nanos <= usdToNanos(cap.usd)) {
    return undefined;
  }
  return { nanos: estimate.nanos, promptTokens, outputTokens, capUsd: cap.usd };
}

/** What the user can change when a PDF makes the only targets too large or too dear. */
function pdfSizeHint(reason: RejectedCandidate['reason'], asText: boolean): string {
  const smaller = asText
    ? 'Attach fewer pages, lower perpetuo.attachments.pdfPageLimit'
    : 'Attach fewer pages, set perpetuo.attachments.pdfEngine to "text" (its text instead of its pages)';
  return reason === 'context-length'
    ? `${smaller}, or pick a model with a larger window.`
    : `${smaller}, pick a cheaper model, or raise maxCostPerRequestUsd in Settings › Perpetuo › Guardrails.`;
}

/**
 * What in the request only Anthropic's API takes, in words ("Anthropic's web_search tool"), or
 * undefined when nothing does.
 */
function describeAnthropicOnlyContent(request: ChatRequest): string | undefined {
  const tool = request.providerTools?.find((candidate) => candidate.api === 'anthropic');
  if (tool !== undefined) {
    return `Anthropic's ${String(tool.definition['name'] ?? tool.definition.type)} tool (${tool.definition.type})`;
  }
  for (const message of request.messages) {
    if (message.role !== 'assistant') continue;
    const block = message.content.find((part) => part.type === 'provider-block' && part.api === 'anthropic');
    if (block?.type === 'provider-block') return `the conversation's ${block.block.type} block`;
  }
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether this provider's adapter can ask this model for images. */
function canGenerateImages(config: ProviderConfig | undefined, upstreamModelId: string): boolean {
  if (config === undefined) return false;
  if (config.kind === 'gemini') return true;
  return config.kind === 'openai-compatible' && ((config.preset ?? config.id) === 'openrouter' || usesOpenAIImagesApi(config, upstreamModelId));
}

function withoutExtractablePdfs(request: ChatRequest): ChatRequest {
  return {
    ...request,
    messages: request.messages.map((message) => (message.role === 'user' ? { ...message, content: message.content.filter((part) => !isExtractablePdf(part)) } : message)),
  };
}
