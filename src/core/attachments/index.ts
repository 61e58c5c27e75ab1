// extractPdfText and countPdfPages are not re-exported: they pull in PDF.js (1.6 MB). Import them
// from './extract-pdf-text' where that is wanted (the `dist/pdf-text.js` bundle, tests, benches).
export { ATTACHMENT_LIMITS, type ByteLimit, type CountLimit, type LimitSource, type ProviderAttachmentLimits, type TypeList } from './attachment-limits';
export { type AttachmentLimitKind, type AttachmentLimitViolation, type CheckAttachmentLimitsOptions, checkAttachmentLimits } from './check-attachment-limits';
export { type AttachmentPartType, classifyMediaType, normalizeMediaType, SUPPORTED_MEDIA_TYPES } from './classify-media-type';
export { createAttachmentLimitError } from './create-attachment-limit-error';
export { type AttachmentInput, type AttachmentPart, type CreateAttachmentOptions, createAttachmentPart, DEFAULT_MAX_ATTACHMENT_BYTES } from './create-attachment-part';
export { createAttachmentPartFromUrl, type UrlAttachmentOptions } from './create-attachment-part-from-url';
export { describeAttachment, type MediaPart } from './describe-attachment';
export { describeUnservableAttachments, type UnservableAttachmentsInput } from './describe-unservable-attachments';
export { detectMediaType } from './detect-media-type';
export type { PdfText } from './extract-pdf-text';
export { formatMegabytes } from './format-megabytes';
export { mediaTypeFromFilename } from './media-type-from-filename';
export { type MediaSize, measureMediaSource } from './measure-media-source';
export { type DataUrl, parseDataUrl } from './parse-data-url';
export { preparePdf, type PreparePdfOptions } from './prepare-pdf';
export { resolveAttachmentLimits } from './resolve-attachment-limits';
export { sniffMediaType } from './sniff-media-type';
