import { PerpetuoError } from '../errors/perpetuo-error';
import type { AudioPart, FilePart, ImagePart, VideoPart } from '../spec/chat-request';
import { classifyMediaType, normalizeMediaType } from './classify-media-type';
import { detectMediaType } from './detect-media-type';
import { formatMegabytes } from './format-megabytes';
import { mediaTypeFromFilename } from './media-type-from-filename';
import { sniffMediaType } from './sniff-media-type';

/** A workspace file to attach: its name (for messages and the decision log) and its bytes. */
export interface AttachmentInput {
  filename: string;
  bytes: Uint8Array;
  /** A type the caller already knows (VS Code's `ChatReferenceBinaryData.mimeType`); the bytes still win. */
  mediaType?: string;
}

/** Limits applied before a file is base64-encoded into a request. */
export interface CreateAttachmentOptions {
  /**
   * Largest file accepted, in bytes. Default 100 MB: the most any provider takes inline in one
   * request (Gemini, counted as base64), so a larger file could go nowhere and would only cost
   * memory to encode.
   */
  maxBytes?: number;
}

/** The part an attachment becomes. */
export type AttachmentPart = ImagePart | AudioPart | VideoPart | FilePart;

/** @see https://ai.google.dev/gemini-api/docs/file-input-methods */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 100 * 1000 * 1000;

const WHAT_WE_SEND =
  'Perpetuo can attach images (PNG, JPEG, GIF, WebP, HEIC/HEIF), PDF documents, audio (WAV, MP3, FLAC, Ogg, M4A, AAC, AIFF, WebM) and video (MP4, MOV, WebM, MPEG, 3GP, AVI, Ogg)';

/**
 * Turns a file into the content part that carries it, inline as base64: an image, audio or video
 * part, or a file part for a PDF. The type comes from the bytes first (see {@link detectMediaType});
 * when they match no signature, from the caller's `mediaType`, then from the extension.
 *
 * Throws a PerpetuoError of kind `invalid-request` naming the file when it is empty, larger than
 * `maxBytes`, or of a type no provider reads — a file is never dropped without a word.
 */
export function createAttachmentPart(input: AttachmentInput, options: CreateAttachmentOptions = {}): AttachmentPart {
  return buildAttachmentPart(input.bytes, {
    label: input.filename,
    filename: input.filename,
    declaredType: input.mediaType,
    nameForType: input.filename,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES,
  });
}

/** Shared with `createAttachmentPartFromUrl`, whose data: URLs may have no file name. */
export function buildAttachmentPart(
  bytes: Uint8Array,
  context: { label: string; filename: string | undefined; declaredType: string | undefined; nameForType: string; maxBytes: number },
): AttachmentPart {
  const fail = (reason: string) => attachmentError(`Cannot attach ${context.label}: ${reason}`);
  if (bytes.length === 0) {
    throw fail('the file is empty.');
  }
  if (bytes.length > context.maxBytes) {
    throw fail(`it is ${formatMegabytes(bytes.length)}, and no provider takes more than ${formatMegabytes(context.maxBytes)} inline. Send it as an https:// link instead.`);
  }
  const mediaType =
    sniffMediaType(bytes) !== undefined
      ? detectMediaType(context.nameForType, bytes)
      : context.declaredType !== undefined && context.declaredType.trim() !== ''
        ? normalizeMediaType(context.declaredType)
        : mediaTypeFromFilename(context.nameForType);
  if (mediaType === undefined) {
    throw fail(`its type could not be recognised from its bytes or its name. ${WHAT_WE_SEND}.`);
  }
  const normalized = normalizeMediaType(mediaType);
  const type = classifyMediaType(normalized);
  if (type === undefined) {
    throw fail(`it is ${normalized}, which no provider Perpetuo routes to reads. ${WHAT_WE_SEND}.`);
  }
  const source = { kind: 'base64' as const, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  const filename = context.filename === undefined ? {} : { filename: context.filename };
  return { type, source, mediaType: normalized, ...filename };
}

/** The one shape of attachment errors: the user's request is wrong, retrying elsewhere will not help. */
export function attachmentError(message: string): PerpetuoError {
  return new PerpetuoError({ kind: 'invalid-request', message, isRetryable: false });
}
