import { normalizeMediaType } from '../../attachments/classify-media-type';
import { parseDataUrl } from '../../attachments/parse-data-url';
import { PerpetuoError } from '../../errors/perpetuo-error';
import type { AudioPart, FilePart, ImagePart, VideoPart } from '../../spec/chat-request';
import type { GeminiRequestPart } from './gemini-api';

/**
 * Inline (base64) data a single request may carry, counted as the base64 text we send. Google
 * states the limit as "100MB (base64 encoded)"; we read MB as 10^6 bytes, the stricter reading,
 * so that we refuse locally rather than be refused with a 400 after uploading 100 MB.
 * @see https://ai.google.dev/gemini-api/docs/file-input-methods
 */
export const GEMINI_INLINE_REQUEST_LIMIT_BYTES = 100 * 1000 * 1000;

/** PDFs sent inline are capped lower than the request: "PDFs are limited to 50MB for this method". */
export const GEMINI_INLINE_PDF_LIMIT_BYTES = 50 * 1000 * 1000;

type MediaPart = ImagePart | AudioPart | VideoPart | FilePart;

/** Running total of inline bytes for one request (created per request, never shared). */
export interface InlineBudget {
  usedBytes: number;
}

/**
 * One image, audio, video or document part as Gemini wants it:
 * - bytes (and `data:` URLs) → `inlineData {mimeType, data}`, counted against the request's
 *   inline limit, and PDFs against the per-PDF limit; crossing either is an `invalid-request`
 *   error naming the file and the limit, before anything is sent;
 * - `https://` URLs (public or signed links, Files API URIs, YouTube for video) →
 *   `fileData {mimeType, fileUri}`, fetched by Google;
 * - any other scheme (`http:`, `file:`, `gs:` — GCS objects must first be registered through the
 *   Files API) is an `invalid-request` error naming the file.
 * @see https://ai.google.dev/gemini-api/docs/file-input-methods
 * @see https://ai.google.dev/api/caching#Part
 */
export function convertToGeminiMediaPart(part: MediaPart, budget: InlineBudget, context: { provider: string; modelId?: string }): GeminiRequestPart {
  const fail = (message: string) => new PerpetuoError({ kind: 'invalid-request', provider: context.provider, modelId: context.modelId, message, isRetryable: false });
  let data: string;
  if (part.source.kind === 'url') {
    const url = parseUrl(part.source.url);
    if (url?.protocol === 'https:') {
      return { fileData: { mimeType: toGeminiMimeType(part.mediaType), fileUri: part.source.url } };
    }
    if (url?.protocol !== 'data:') {
      throw fail(
        `Gemini cannot fetch ${describe(part)}: only https:// links (or inline bytes) are accepted, not ${url ? url.protocol : 'an unparsable URL'}.`,
      );
    }
    const parsed = parseDataUrl(part.source.url);
    if (parsed === undefined) {
      throw fail(`${capitalise(describe(part))} is a data: URL that is neither well-formed base64 nor percent-encoding.`);
    }
    data = parsed.base64;
  } else {
    data = part.source.data;
  }
  if (part.mediaType === 'application/pdf' && decodedLength(data) > GEMINI_INLINE_PDF_LIMIT_BYTES) {
    throw fail(`${capitalise(describe(part))} is ${megabytes(decodedLength(data))} MB; Gemini accepts inline PDFs up to ${megabytes(GEMINI_INLINE_PDF_LIMIT_BYTES)} MB.`);
  }
  budget.usedBytes += data.length;
  if (budget.usedBytes > GEMINI_INLINE_REQUEST_LIMIT_BYTES) {
    throw fail(
      `${capitalise(describe(part))} brings the inline data of this request to ${megabytes(budget.usedBytes)} MB (base64); Gemini accepts up to ${megabytes(GEMINI_INLINE_REQUEST_LIMIT_BYTES)} MB inline per request. Send large files as https:// links instead.`,
    );
  }
  return { inlineData: { mimeType: toGeminiMimeType(part.mediaType), data } };
}

/**
 * Gemini's documentation lists its own names for some formats: `audio/mp3` (not the registered
 * `audio/mpeg`), `video/mov` (not `video/quicktime`), `video/avi`, `video/wmv`, `video/mpg`.
 * We send the names on those lists, so a file typed by its magic bytes is not refused as an
 * unsupported MIME type.
 * @see https://ai.google.dev/gemini-api/docs/audio#supported-formats
 * @see https://ai.google.dev/gemini-api/docs/video-understanding#supported-formats
 */
const GEMINI_MIME_NAMES: Readonly<Record<string, string>> = {
  'audio/mpeg': 'audio/mp3',
  'video/quicktime': 'video/mov',
  'video/x-msvideo': 'video/avi',
  'video/x-ms-wmv': 'video/wmv',
};

export function toGeminiMimeType(mediaType: string): string {
  const normalized = normalizeMediaType(mediaType);
  return GEMINI_MIME_NAMES[normalized] ?? normalized;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/** A name for error messages: the file name, else the URL without its query (signed URLs carry tokens). */
function describe(part: MediaPart): string {
  const noun = part.type === 'file' ? 'document' : part.type;
  if (part.filename) {
    return `the ${noun} "${part.filename}"`;
  }
  if (part.source.kind === 'url' && !part.source.url.startsWith('data:')) {
    const url = parseUrl(part.source.url);
    return `the ${noun} at ${url ? `${url.protocol}//${url.host}${url.pathname}` : '(unparsable URL)'}`;
  }
  return `an unnamed ${noun} (${part.mediaType})`;
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1).replace(/\.0$/, '');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
