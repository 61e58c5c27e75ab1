import type { CatalogEndpoint } from '../catalog/catalog-model';
import { checkAttachmentLimits } from '../attachments/check-attachment-limits';
import { createAttachmentLimitError } from '../attachments/create-attachment-limit-error';
import { PerpetuoError } from '../errors/perpetuo-error';
import { usesOpenAIImagesApi } from '../providers/openai-compatible/uses-openai-images-api';
import type { ProviderConfig } from '../providers/provider-config';
import type { RejectedCandidate, RoutePlan, RouteTarget } from '../routing/route-plan';
import type { ChatRequest, FilePart } from '../spec/chat-request';
import type { AttachmentSettings } from './attachment-settings';
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
 * - image output goes only where an adapter speaks the image API: OpenRouter (`modalities`),
 *   Gemini (`responseModalities`) and OpenAI's image models (the Images API); the planner has
 *   already kept only endpoints whose catalog output modalities hold `image`.
 * A target that fails moves to `rejected` (the decision log says why), so the next provider,
 * whose limits differ, is tried instead. When none is left, the first target's reason is the error.
 */
export function screenTargetsForAttachments(input: ScreenTargetsInput): ScreenedPlan {
  const { plan, request } = input;
  const wantsImage = request.outputModalities?.includes('image') === true;
  const hasMedia = request.messages.some((message) => message.role === 'user' && message.content.some((part) => part.type !== 'text'));
  if (!wantsImage && !hasMedia) {
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
    const acceptsFiles = input.endpointFor(target)?.inputModalities.includes('file') === true;
    const asText = input.settings.pdfEngine === 'text' || !acceptsFiles;
    const view = asText ? withoutExtractablePdfs(request) : request;
    const violations = checkAttachmentLimits(view, { id: target.provider, kind: config?.kind }, { pdfPageCount: (part) => input.pdfPages?.get(part) });
    if (violations.length > 0) {
      rejected.push({ modelId: target.modelId, provider: target.provider, reason: 'attachment-limit', detail: violations.map((v) => v.message).join(' ') });
      refusal ??= createAttachmentLimitError(violations, target.provider);
      continue;
    }
    kept.push(target);
  }
  if (rejected.length === 0) {
    return { plan, refusal: undefined };
  }
  const screened: RoutePlan = { ...plan, targets: kept, rejected: [...plan.rejected, ...rejected] };
  return { plan: screened, refusal: kept.length === 0 ? refusal : undefined };
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
