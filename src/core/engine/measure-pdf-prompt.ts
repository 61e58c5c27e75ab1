import type { ChatRequest } from '../spec/chat-request';
import { pdfTokensPerPageFor } from '../tokens/estimate-media-tokens';
import { estimateRequestTokens } from '../tokens/estimate-request-tokens';
import type { AttachmentSettings } from './attachment-settings';
import { type PdfTextCache, withPdfsAsText } from './pdf-text-cache';

/**
 * The sizes a request with inline PDFs can have, one per way a target can be sent it: each PDF as
 * its extracted text (a target that reads no files, or the `text` PDF engine), or as the file,
 * counted at its provider's per-page rate (`pdfTokensPerPageFor`). Every figure is the one the
 * target's budget reservation counts (`estimateRequestTokens` on what it is sent).
 */
export interface PdfPromptSizes {
  /**
   * The request as a text target receives it; undefined when a PDF yields no text (that target
   * then fails, naming the file), or when no target can be sent text and it was not extracted.
   */
  asText: ChatRequest | undefined;
  /** The prompt's tokens for a target of this provider kind, sent the PDFs as text or as files; undefined for text that could not be extracted. */
  tokensFor(asText: boolean, providerKind: string | undefined): number | undefined;
  /**
   * The least any target can be sent, over the providers the user has: what the planner plans
   * with (`RouteRequest.promptTokens`), so that it rejects only candidates no form of the request
   * fits. Each target is then held to its own size (`screenPlanTargets`). Undefined
   * when no form can be counted.
   */
  floor: number | undefined;
}

/**
 * `withText: false` when no target can be sent the PDFs' text (`everyCandidateReadsFiles`): the
 * text is then not extracted, and only the file forms are counted.
 */
export async function measurePdfPrompt(
  request: ChatRequest,
  pdfText: PdfTextCache,
  settings: AttachmentSettings,
  providerKinds: Iterable<string>,
  withText = true,
): Promise<PdfPromptSizes> {
  const asText = withText ? await withPdfsAsText(request, pdfText).catch(() => undefined) : undefined;
  // Counting decodes every PDF again (its pages, its text): once per form and rate.
  const counted = new Map<string, number | undefined>();
  const tokensFor = (text: boolean, providerKind: string | undefined): number | undefined => {
    const pdfTokensPerPage = pdfTokensPerPageFor(providerKind);
    const key = `${text}:${pdfTokensPerPage}`;
    if (!counted.has(key)) {
      const sent = text ? asText : request;
      counted.set(key, sent === undefined ? undefined : estimateRequestTokens(sent, { pdfTokensPerPage }));
    }
    return counted.get(key);
  };
  let floor: number | undefined;
  for (const kind of new Set(providerKinds)) {
    const forms = settings.pdfEngine === 'native' ? [tokensFor(true, kind), tokensFor(false, kind)] : [tokensFor(true, kind)];
    for (const tokens of forms) {
      if (tokens !== undefined && (floor === undefined || tokens < floor)) {
        floor = tokens;
      }
    }
  }
  return { asText, tokensFor, floor };
}
