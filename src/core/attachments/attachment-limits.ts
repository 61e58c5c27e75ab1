/** Where a limit was read, and when. */
export interface LimitSource {
  /** The provider's documentation page. */
  see: string;
  /** The day the value was checked against that page (YYYY-MM-DD). */
  asOf: string;
  /** What the value rests on when the page is not plain about it. */
  note?: string;
}

/** A size limit. `label` is the figure as the provider publishes it ("5 MB"). */
export interface ByteLimit extends LimitSource {
  bytes: number;
  label: string;
  /** Whether the provider counts the file itself or its base64 text on the wire (4/3 larger). */
  counts: 'file' | 'base64';
}

export interface CountLimit extends LimitSource {
  count: number;
}

/** Media types a provider reads for one modality (normalised, see `normalizeMediaType`). */
export interface TypeList extends LimitSource {
  types: readonly string[];
  /** How the provider's page names them, for messages: "PNG, JPEG, GIF and WebP". */
  label: string;
}

/**
 * What one provider accepts inline in one request. An absent field means the provider publishes
 * no such limit (or we found none): it is not checked, and the provider's own answer decides.
 */
export interface ProviderAttachmentLimits {
  /** Provider name for messages ("Anthropic"). */
  name: string;
  imageTypes?: TypeList;
  maxImageBytes?: ByteLimit;
  maxImagesPerRequest?: CountLimit;
  maxPdfBytes?: ByteLimit;
  /** Pages across all PDFs of the request. */
  maxPdfPages?: CountLimit;
  audioTypes?: TypeList;
  maxAudioBytes?: ByteLimit;
  videoTypes?: TypeList;
  maxVideoBytes?: ByteLimit;
  /** All inline media of the request together. */
  maxInlineRequestBytes?: ByteLimit;
}

const MB = 1000 * 1000;
const MiB = 1024 * 1024;
const AS_OF = '2026-11-22';

const ANTHROPIC_VISION = 'https://platform.claude.com/docs/en/build-with-claude/vision';
const ANTHROPIC_PDF = 'https://platform.claude.com/docs/en/build-with-claude/pdf-support';
const OPENAI_VISION = 'https://platform.openai.com/docs/guides/images-vision';
const OPENAI_FILES = 'https://platform.openai.com/docs/guides/pdf-files';
const OPENAI_AUDIO = 'https://platform.openai.com/docs/guides/audio';
const GEMINI_INPUT = 'https://ai.google.dev/gemini-api/docs/file-input-methods';
const OPENROUTER_MULTIMODAL = 'https://openrouter.ai/docs/guides/overview/multimodal/overview';

/**
 * Attachment limits by provider id (`anthropic`, `openai`, `google`/`gemini`, `openrouter`); see
 * `resolveAttachmentLimits` for the lookup by kind. Values are the strictest reading of each page:
 * where a page says "32 MB" without saying which megabyte, 32,000,000 bytes.
 */
export const ATTACHMENT_LIMITS: Readonly<Record<string, ProviderAttachmentLimits>> = {
  anthropic: {
    name: 'Anthropic',
    imageTypes: { types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], label: 'JPEG, PNG, GIF and WebP', see: ANTHROPIC_VISION, asOf: AS_OF },
    maxImageBytes: {
      bytes: 5 * MiB,
      label: '5 MB',
      counts: 'base64',
      see: ANTHROPIC_VISION,
      asOf: AS_OF,
      note: 'The API refuses "image exceeds 5 MB maximum: … bytes > 5242880 bytes", measured on the base64 data.',
    },
    maxImagesPerRequest: {
      count: 100,
      see: ANTHROPIC_VISION,
      asOf: AS_OF,
      note: '100 per request for models with a 200k-token window, 600 for the others; we apply the lower figure.',
    },
    maxPdfBytes: { bytes: 32 * MB, label: '32 MB', counts: 'base64', see: ANTHROPIC_PDF, asOf: AS_OF, note: 'The page states it as the maximum request size.' },
    maxPdfPages: { count: 100, see: ANTHROPIC_PDF, asOf: AS_OF },
    maxInlineRequestBytes: { bytes: 32 * MB, label: '32 MB', counts: 'base64', see: ANTHROPIC_VISION, asOf: AS_OF, note: 'Request size limit of the standard endpoints.' },
  },
  openai: {
    name: 'OpenAI',
    imageTypes: { types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'], label: 'PNG, JPEG, WebP and non-animated GIF', see: OPENAI_VISION, asOf: AS_OF },
    maxImageBytes: { bytes: 20 * MB, label: '20 MB', counts: 'file', see: OPENAI_VISION, asOf: AS_OF, note: '"Up to 20MB per image" (image input requirements table).' },
    maxImagesPerRequest: { count: 500, see: OPENAI_VISION, asOf: AS_OF },
    maxPdfBytes: {
      bytes: 32 * MB,
      label: '32 MB',
      counts: 'file',
      see: OPENAI_FILES,
      asOf: AS_OF,
      note: '"Up to 100 pages and 32MB of total content in a single request" in an earlier edition of the page; the current edition we could read states no figure.',
    },
    maxPdfPages: { count: 100, see: OPENAI_FILES, asOf: AS_OF, note: 'Same source as maxPdfBytes.' },
    audioTypes: { types: ['audio/wav', 'audio/mpeg'], label: 'WAV and MP3', see: OPENAI_AUDIO, asOf: AS_OF, note: '`input_audio.format` takes "wav" or "mp3".' },
    maxInlineRequestBytes: {
      bytes: 50 * MB,
      label: '50 MB',
      counts: 'file',
      see: OPENAI_VISION,
      asOf: AS_OF,
      note: '"Up to 50 MB total payload size per request" is stated for images; we apply it to all inline media.',
    },
  },
  gemini: {
    name: 'Gemini',
    imageTypes: {
      types: ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'],
      label: 'PNG, JPEG, WebP, HEIC and HEIF',
      see: 'https://ai.google.dev/gemini-api/docs/image-understanding',
      asOf: AS_OF,
    },
    maxPdfBytes: { bytes: 50 * MB, label: '50 MB', counts: 'file', see: GEMINI_INPUT, asOf: AS_OF, note: '"PDFs are limited to 50MB for this method" (inline data).' },
    maxPdfPages: {
      count: 1000,
      see: 'https://ai.google.dev/gemini-api/docs/document-processing',
      asOf: AS_OF,
      note: 'Gemini reads documents of up to 1,000 pages; not re-confirmed by search on this date.',
    },
    audioTypes: {
      types: ['audio/wav', 'audio/mpeg', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac'],
      label: 'WAV, MP3, AIFF, AAC, OGG Vorbis and FLAC',
      see: 'https://ai.google.dev/gemini-api/docs/audio',
      asOf: AS_OF,
    },
    videoTypes: {
      types: ['video/mp4', 'video/mpeg', 'video/quicktime', 'video/x-msvideo', 'video/webm', 'video/3gpp'],
      label: 'MP4, MPEG, MOV, AVI, WebM and 3GPP',
      see: 'https://ai.google.dev/gemini-api/docs/video-understanding',
      asOf: AS_OF,
    },
    maxInlineRequestBytes: { bytes: 100 * MB, label: '100 MB', counts: 'base64', see: GEMINI_INPUT, asOf: AS_OF, note: '"100MB (base64 encoded)" for inline data.' },
  },
  openrouter: {
    name: 'OpenRouter',
    imageTypes: { types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'], label: 'PNG, JPEG, WebP and GIF', see: OPENROUTER_MULTIMODAL, asOf: AS_OF },
    audioTypes: {
      types: ['audio/wav', 'audio/mpeg', 'audio/aiff', 'audio/aac', 'audio/ogg', 'audio/flac', 'audio/mp4'],
      label: 'WAV, MP3, AIFF, AAC, OGG, FLAC and M4A',
      see: OPENROUTER_MULTIMODAL,
      asOf: AS_OF,
      note: 'Size limits are those of the upstream provider OpenRouter picks; it publishes none of its own.',
    },
    videoTypes: { types: ['video/mp4', 'video/mpeg', 'video/quicktime', 'video/webm'], label: 'MP4, MPEG, MOV and WebM', see: OPENROUTER_MULTIMODAL, asOf: AS_OF },
  },
};
