import type { AudioPart, FilePart, ImagePart, MediaSource, VideoPart } from '../spec/chat-request';

/**
 * One image at the size editors attach (screenshots around 1–1.2 megapixels). Anthropic bills
 * `width × height / 750` tokens and downsizes anything larger than about 1.15 MP, so ~1,600 is
 * its ceiling; OpenAI high detail charges 765 for 1024×1024 and Gemini 258 per 768-px tile. We
 * take the highest of the three so that a context-window or cost-cap check never passes on an
 * underestimate.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/vision#calculate-image-costs
 */
export const IMAGE_TOKENS = 1_600;

/**
 * Gemini counts audio at 32 tokens a second, the highest published rate.
 * @see https://ai.google.dev/gemini-api/docs/audio#technical-details
 */
export const AUDIO_TOKENS_PER_SECOND = 32;

/**
 * Gemini counts video at about 263 tokens a second (258 per sampled frame at 1 fps plus 32 of audio).
 * @see https://ai.google.dev/gemini-api/docs/video-understanding#technical-details-video
 */
export const VIDEO_TOKENS_PER_SECOND = 263;

/**
 * A PDF page sent as a file, where the provider's own rate is not known: Anthropic documents
 * 1,500–3,000 text tokens a page *plus* the page as an image (each page is converted to one and
 * billed as an image), so the top of the text range plus {@link IMAGE_TOKENS}. OpenAI likewise
 * sends the extracted text and an image of each page, and publishes no per-page figure; this is
 * the highest rate we know, so a reservation never passes on an underestimate.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support#estimate-your-costs
 * @see https://platform.openai.com/docs/guides/pdf-files
 */
export const PDF_TOKENS_PER_PAGE = 3_000 + IMAGE_TOKENS;

/**
 * Gemini bills each PDF page as an image at the request's media resolution: 560 tokens at the
 * default (medium) resolution of Gemini 3, 258 on earlier models; we take the higher.
 * @see https://ai.google.dev/gemini-api/docs/media-resolution
 * @see https://ai.google.dev/gemini-api/docs/document-processing
 */
export const GEMINI_PDF_TOKENS_PER_PAGE = 560;

/** The per-page token rate of a PDF sent as a file to a provider of this kind. */
export function pdfTokensPerPageFor(providerKind: string | undefined): number {
  return providerKind === 'gemini' ? GEMINI_PDF_TOKENS_PER_PAGE : PDF_TOKENS_PER_PAGE;
}

/** A URL source has no bytes we can measure; assume a one-minute clip. */
const ASSUMED_URL_SECONDS = 60;
/** …and a ten-page document. */
const ASSUMED_URL_PAGES = 10;
/** Uncompressed PCM at 16 kHz, 16-bit mono: the smallest common raw format, so the most seconds per byte. */
const RAW_AUDIO_BYTES_PER_SECOND = 32_000;
/** 128 kbit/s, a typical MP3/AAC/Ogg bitrate. */
const COMPRESSED_AUDIO_BYTES_PER_SECOND = 16_000;
/** 1 Mbit/s, a typical screen-recording MP4. */
const VIDEO_BYTES_PER_SECOND = 125_000;
/** When a PDF's page objects can't be counted (compressed object streams), assume 50 kB a page. */
const PDF_BYTES_PER_PAGE = 50_000;

/** Estimated prompt tokens of an image part. Dimensions are not decoded; see {@link IMAGE_TOKENS}. */
export function estimateImageTokens(_part: ImagePart): number {
  return IMAGE_TOKENS;
}

/** Estimated prompt tokens of an audio part, from its duration as implied by its size and format. */
export function estimateAudioTokens(part: AudioPart): number {
  const bytes = sourceBytes(part.source);
  if (bytes === undefined) {
    return ASSUMED_URL_SECONDS * AUDIO_TOKENS_PER_SECOND;
  }
  const raw = /wav|pcm|aiff|l16/i.test(part.mediaType);
  const seconds = bytes / (raw ? RAW_AUDIO_BYTES_PER_SECOND : COMPRESSED_AUDIO_BYTES_PER_SECOND);
  return Math.ceil(Math.max(1, seconds) * AUDIO_TOKENS_PER_SECOND);
}

/** Estimated prompt tokens of a video part, from its duration as implied by its size. */
export function estimateVideoTokens(part: VideoPart): number {
  const bytes = sourceBytes(part.source);
  const seconds = bytes === undefined ? ASSUMED_URL_SECONDS : Math.max(1, bytes / VIDEO_BYTES_PER_SECOND);
  return Math.ceil(seconds * VIDEO_TOKENS_PER_SECOND);
}

/**
 * Estimated prompt tokens of a document part (a PDF) sent as a file: its pages times the
 * provider's per-page rate ({@link pdfTokensPerPageFor}). A PDF sent as extracted text is a text
 * part and is counted as text.
 */
export function estimateFileTokens(part: FilePart, tokensPerPage = PDF_TOKENS_PER_PAGE): number {
  return countPdfPages(part.source) * tokensPerPage;
}

/**
 * Pages counted per inline source: one request counts the same file several times (the planner's
 * sizes, each target's reservation), and a large PDF takes milliseconds to scan. Keyed by the
 * source object, so the count goes with the request that holds it.
 */
const pageCounts = new WeakMap<MediaSource, number>();

function countPdfPages(source: MediaSource): number {
  if (source.kind === 'url') {
    return ASSUMED_URL_PAGES;
  }
  let pages = pageCounts.get(source);
  if (pages === undefined) {
    const bytes = Buffer.from(source.data, 'base64');
    const found = countPageObjects(bytes);
    pages = found > 0 ? found : Math.max(1, Math.ceil(bytes.length / PDF_BYTES_PER_PAGE));
    pageCounts.set(source, pages);
  }
  return pages;
}

const TYPE_KEY = Buffer.from('/Type', 'latin1');
const PAGE_NAME = Buffer.from('/Page', 'latin1');

/**
 * Every page is a `/Type /Page` dictionary (`/Type /Pages` is the tree node above them; PDF
 * whitespace may stand between key and name, or none). Searched in the bytes, not as a string
 * by a regex: no string of the whole file is made (BENCHMARKS.md, attachments: a 10 MB file).
 */
function countPageObjects(bytes: Buffer): number {
  let pages = 0;
  for (let at = bytes.indexOf(TYPE_KEY); at !== -1; at = bytes.indexOf(TYPE_KEY, at + TYPE_KEY.length)) {
    let name = at + TYPE_KEY.length;
    while (name < bytes.length && isPdfWhitespace(bytes[name] ?? 0)) {
      name++;
    }
    const end = name + PAGE_NAME.length;
    if (end <= bytes.length && bytes.compare(PAGE_NAME, 0, PAGE_NAME.length, name, end) === 0 && !isAsciiLetter(bytes[end])) {
      pages++;
    }
  }
  return pages;
}

/** NUL, tab, line feed, form feed, carriage return and space (PDF 32000-1, 7.2.2). */
function isPdfWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;
}

function isAsciiLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

function sourceBytes(source: MediaSource): number | undefined {
  if (source.kind === 'url') {
    return undefined;
  }
  // Base64 carries 3 bytes in every 4 characters.
  return Math.floor((source.data.length * 3) / 4);
}
