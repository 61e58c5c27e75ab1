import type { ProviderKind } from '../providers/provider-config';
import type { ChatRequest, FilePart } from '../spec/chat-request';
import type { ByteLimit, ProviderAttachmentLimits, TypeList } from './attachment-limits';
import { normalizeMediaType } from './classify-media-type';
import { describeAttachment, type MediaPart } from './describe-attachment';
import { formatMegabytes } from './format-megabytes';
import { measureMediaSource, type MediaSize } from './measure-media-source';
import { resolveAttachmentLimits } from './resolve-attachment-limits';

/** Which rule a request breaks. */
export type AttachmentLimitKind =
  | 'image-type'
  | 'audio-type'
  | 'video-type'
  | 'image-bytes'
  | 'image-count'
  | 'pdf-bytes'
  | 'pdf-pages'
  | 'audio-bytes'
  | 'video-bytes'
  | 'request-bytes';

/** One broken limit, with a sentence that names the file and the limit. */
export interface AttachmentLimitViolation {
  limit: AttachmentLimitKind;
  /** The file, when the violation is one file's (not for request-wide counts and totals). */
  filename?: string;
  /** "diagram.png is 24.1 MB; Anthropic accepts images up to 5 MB". */
  message: string;
  /** The provider's page the limit comes from. */
  see: string;
}

export interface CheckAttachmentLimitsOptions {
  /**
   * Pages of a PDF part, when known (from `countPdfPages`); the page limit is checked only for
   * PDFs this returns a number for, since counting pages means parsing the file.
   */
  pdfPageCount?: (part: FilePart) => number | undefined;
}

/**
 * Every limit of `provider` that the request's attachments break, in message order; an empty list
 * when none is (or when the provider has no entry in the table). Remote URLs are checked for type
 * and count only: their size is unknown until the provider fetches them.
 * @see ./attachment-limits.ts for each limit's source page and date
 */
export function checkAttachmentLimits(
  request: ChatRequest,
  provider: { id: string; kind?: ProviderKind } | ProviderAttachmentLimits,
  options: CheckAttachmentLimitsOptions = {},
): AttachmentLimitViolation[] {
  const limits = 'name' in provider ? provider : resolveAttachmentLimits(provider);
  if (limits === undefined) {
    return [];
  }
  const parts = request.messages.flatMap((message) => (message.role === 'user' ? message.content.filter((part): part is MediaPart => part.type !== 'text') : []));
  const violations: AttachmentLimitViolation[] = [];
  const pdfPages: Array<{ name: string; pages: number }> = [];
  let images = 0;
  let inline: Array<{ name: string; size: MediaSize }> = [];

  for (const part of parts) {
    const name = describeAttachment(part);
    const size = measureMediaSource(part.source);
    if (size !== undefined) {
      inline.push({ name, size });
    }
    const mediaType = normalizeMediaType(part.mediaType);
    switch (part.type) {
      case 'image':
        images++;
        checkType(violations, 'image-type', limits.imageTypes, name, mediaType, 'images', limits.name);
        checkBytes(violations, 'image-bytes', limits.maxImageBytes, name, size, 'images', limits.name);
        break;
      case 'audio':
        checkType(violations, 'audio-type', limits.audioTypes, name, mediaType, 'audio', limits.name);
        checkBytes(violations, 'audio-bytes', limits.maxAudioBytes, name, size, 'audio files', limits.name);
        break;
      case 'video':
        checkType(violations, 'video-type', limits.videoTypes, name, mediaType, 'video', limits.name);
        checkBytes(violations, 'video-bytes', limits.maxVideoBytes, name, size, 'videos', limits.name);
        break;
      case 'file':
        if (mediaType === 'application/pdf') {
          checkBytes(violations, 'pdf-bytes', limits.maxPdfBytes, name, size, 'PDFs', limits.name);
          const pages = options.pdfPageCount?.(part);
          if (pages !== undefined) {
            pdfPages.push({ name, pages });
          }
        }
        break;
      default: {
        const unreachable: never = part;
        throw new Error(`unknown part ${JSON.stringify(unreachable)}`);
      }
    }
  }

  const imageLimit = limits.maxImagesPerRequest;
  if (imageLimit !== undefined && images > imageLimit.count) {
    violations.push({
      limit: 'image-count',
      message: `This request has ${images} images; ${limits.name} accepts up to ${imageLimit.count} per request.`,
      see: imageLimit.see,
    });
  }

  const pageLimit = limits.maxPdfPages;
  const totalPages = pdfPages.reduce((sum, pdf) => sum + pdf.pages, 0);
  if (pageLimit !== undefined && totalPages > pageLimit.count) {
    const only = pdfPages.length === 1 ? pdfPages[0] : undefined;
    violations.push({
      limit: 'pdf-pages',
      ...(only === undefined ? {} : { filename: only.name }),
      message:
        only !== undefined
          ? `${only.name} has ${only.pages} pages; ${limits.name} accepts up to ${pageLimit.count} PDF pages per request.`
          : `The PDFs of this request have ${totalPages} pages together (${pdfPages.map((pdf) => `${pdf.name}: ${pdf.pages}`).join(', ')}); ${limits.name} accepts up to ${pageLimit.count} PDF pages per request.`,
      see: pageLimit.see,
    });
  }

  const requestLimit = limits.maxInlineRequestBytes;
  if (requestLimit !== undefined && inline.length > 0) {
    const measure = (size: MediaSize) => (requestLimit.counts === 'base64' ? size.base64Length : size.bytes);
    const total = inline.reduce((sum, item) => sum + measure(item.size), 0);
    if (total > requestLimit.bytes) {
      inline = inline.sort((a, b) => measure(b.size) - measure(a.size));
      const largest = inline.slice(0, 3).map((item) => `${item.name} ${formatMegabytes(measure(item.size))}`);
      violations.push({
        limit: 'request-bytes',
        message: `This request carries ${formatMegabytes(total)} of inline attachments${requestLimit.counts === 'base64' ? ' as base64' : ''} (${inline.length > 3 ? 'largest: ' : ''}${largest.join(', ')}); ${limits.name} accepts up to ${requestLimit.label} inline per request.`,
        see: requestLimit.see,
      });
    }
  }
  return violations;
}

function checkType(
  out: AttachmentLimitViolation[],
  limit: 'image-type' | 'audio-type' | 'video-type',
  list: TypeList | undefined,
  name: string,
  mediaType: string,
  noun: string,
  provider: string,
): void {
  if (list !== undefined && !list.types.includes(mediaType)) {
    out.push({ limit, filename: name, message: `${name} is ${mediaType}; ${provider} accepts ${list.label} ${noun}.`, see: list.see });
  }
}

function checkBytes(
  out: AttachmentLimitViolation[],
  limit: 'image-bytes' | 'pdf-bytes' | 'audio-bytes' | 'video-bytes',
  rule: ByteLimit | undefined,
  name: string,
  size: MediaSize | undefined,
  noun: string,
  provider: string,
): void {
  if (rule === undefined || size === undefined) {
    return;
  }
  const measured = rule.counts === 'base64' ? size.base64Length : size.bytes;
  if (measured <= rule.bytes) {
    return;
  }
  // When only the base64 form is over, say so: the file's own size would look like it fits.
  const message =
    size.bytes > rule.bytes
      ? `${name} is ${formatMegabytes(size.bytes)}; ${provider} accepts ${noun} up to ${rule.label}.`
      : `${name} is ${formatMegabytes(size.bytes)}, ${formatMegabytes(size.base64Length)} as base64; ${provider} accepts ${noun} up to ${rule.label} counted as base64.`;
  out.push({ limit, filename: name, message, see: rule.see });
}
