import { classifyMediaType, normalizeMediaType } from './classify-media-type';
import { type AttachmentPart, attachmentError, buildAttachmentPart, DEFAULT_MAX_ATTACHMENT_BYTES } from './create-attachment-part';
import { mediaTypeFromFilename } from './media-type-from-filename';
import { parseDataUrl } from './parse-data-url';

/** What the caller knows about a URL attachment beyond the URL itself. */
export interface UrlAttachmentOptions {
  /** A name for messages; defaults to the URL's last path segment (or "the data: URL"). */
  filename?: string;
  /** The type, when the URL's path does not end in a known extension (a signed download link). */
  mediaType?: string;
  /** For `data:` URLs: the largest decoded payload accepted. */
  maxBytes?: number;
}

/**
 * An attachment given as a URL:
 * - a `data:` URL is decoded and treated like a file (its bytes decide the type, as in
 *   `createAttachmentPart`), and travels inline as base64;
 * - an `https:` URL is kept as a URL for the provider to fetch, typed by `options.mediaType` or
 *   the path's extension; bytes are not fetched here (core does no I/O of its own).
 * Anything else (`http:`, `file:`, a malformed data URL, an unknown type) is an `invalid-request`
 * error naming the URL: providers fetch from their own servers, which can neither reach a local
 * file nor should be sent plain http.
 * @see https://platform.openai.com/docs/guides/images-vision
 * @see https://ai.google.dev/gemini-api/docs/file-input-methods
 */
export function createAttachmentPartFromUrl(url: string, options: UrlAttachmentOptions = {}): AttachmentPart {
  const trimmed = url.trim();
  if (/^data:/i.test(trimmed)) {
    const label = options.filename ?? 'the data: URL';
    const parsed = parseDataUrl(trimmed);
    if (parsed === undefined) {
      throw attachmentError(`Cannot attach ${label}: it is not a well-formed base64 or percent-encoded data: URL.`);
    }
    return buildAttachmentPart(Buffer.from(parsed.base64, 'base64'), {
      label,
      filename: options.filename,
      declaredType: options.mediaType ?? parsed.mediaType,
      nameForType: options.filename ?? '',
      maxBytes: options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES,
    });
  }
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw attachmentError(`Cannot attach ${options.filename ?? 'a link'}: it is not a valid URL.`);
  }
  // Never echo the query: signed links carry their credentials there.
  const shown = options.filename ?? `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  if (parsed.protocol !== 'https:') {
    throw attachmentError(`Cannot attach ${shown}: providers fetch attachments themselves and take https:// links only, not ${parsed.protocol}`);
  }
  const mediaType =
    options.mediaType !== undefined ? normalizeMediaType(options.mediaType) : (mediaTypeFromFilename(parsed.pathname) ?? mediaTypeFromFilename(options.filename ?? ''));
  if (mediaType === undefined) {
    throw attachmentError(`Cannot attach ${shown}: the link does not end in a known file extension; give its media type.`);
  }
  const type = classifyMediaType(mediaType);
  if (type === undefined) {
    throw attachmentError(`Cannot attach ${shown}: it is ${mediaType}, which no provider Perpetuo routes to reads.`);
  }
  const lastSegment = parsed.pathname.split('/').filter(Boolean).pop();
  const filename = options.filename ?? (lastSegment === undefined ? undefined : safeDecode(lastSegment));
  return { type, source: { kind: 'url', url: trimmed }, mediaType, ...(filename === undefined ? {} : { filename }) };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
