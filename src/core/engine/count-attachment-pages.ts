import { describeAttachment } from '../attachments/describe-attachment';
import { parseDataUrl } from '../attachments/parse-data-url';
import { resolveAttachmentLimits } from '../attachments/resolve-attachment-limits';
import type { CatalogEndpoint } from '../catalog/catalog-model';
import type { RoutePlan, RouteTarget } from '../routing/route-plan';
import type { ChatRequest, FilePart } from '../spec/chat-request';
import type { AttachmentSettings, PdfTextModule } from './attachment-settings';
import { isExtractablePdf } from './view-request-for-planning';

/**
 * Pages of each inline PDF, counted only when a page limit could apply: the PDF engine is
 * `native`, a target's endpoint reads files, and that provider publishes a page limit. Counting
 * opens the file with PDF.js, so a plain text request never loads it. Empty without a loader.
 */
export async function countAttachmentPages(
  request: ChatRequest,
  plan: RoutePlan,
  options: { settings: AttachmentSettings; loadPdfText: (() => Promise<PdfTextModule>) | undefined; endpointFor: (target: RouteTarget) => CatalogEndpoint | undefined },
): Promise<Map<FilePart, number>> {
  const pages = new Map<FilePart, number>();
  const pdfs = request.messages.flatMap((message) => (message.role === 'user' ? message.content.filter(isExtractablePdf) : []));
  if (pdfs.length === 0 || options.loadPdfText === undefined || options.settings.pdfEngine !== 'native') {
    return pages;
  }
  const limited = plan.targets.some(
    (target) => options.endpointFor(target)?.inputModalities.includes('file') === true && resolveAttachmentLimits({ id: target.provider })?.maxPdfPages !== undefined,
  );
  if (!limited) {
    return pages;
  }
  const module = await options.loadPdfText();
  for (const pdf of pdfs) {
    const bytes = pdf.source.kind === 'base64' ? Buffer.from(pdf.source.data, 'base64') : Buffer.from(parseDataUrl(pdf.source.url)?.base64 ?? '', 'base64');
    try {
      pages.set(pdf, await module.countPdfPages(bytes, describeAttachment(pdf)));
    } catch {
      // An unreadable PDF is the provider's to refuse (or preparePdf's, when it goes as text).
    }
  }
  return pages;
}
