/** Which content part a media type becomes. */
export type AttachmentPartType = 'image' | 'audio' | 'video' | 'file';

/**
 * Every media type at least one provider we route to reads, by the part that carries it. A type
 * outside these lists is refused when the attachment is created: no route could serve it. Which
 * provider reads which of them is in `attachment-limits.ts`.
 * @see https://platform.claude.com/docs/en/build-with-claude/vision
 * @see https://ai.google.dev/gemini-api/docs/image-understanding
 * @see https://ai.google.dev/gemini-api/docs/audio
 * @see https://ai.google.dev/gemini-api/docs/video-understanding
 * @see https://openrouter.ai/docs/guides/overview/multimodal/overview
 */
export const SUPPORTED_MEDIA_TYPES: Readonly<Record<AttachmentPartType, readonly string[]>> = {
  image: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif'],
  audio: ['audio/wav', 'audio/mpeg', 'audio/flac', 'audio/ogg', 'audio/mp4', 'audio/aac', 'audio/aiff', 'audio/webm'],
  video: ['video/mp4', 'video/quicktime', 'video/webm', 'video/mpeg', 'video/3gpp', 'video/x-msvideo', 'video/ogg'],
  file: ['application/pdf'],
};

const BY_TYPE: ReadonlyMap<string, AttachmentPartType> = new Map<string, AttachmentPartType>(
  Object.entries(SUPPORTED_MEDIA_TYPES).flatMap(([part, types]) => types.map((type) => [type, part as AttachmentPartType] as const)),
);

/** Aliases that name the same format, mapped to the one type we send. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-flac': 'audio/flac',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/x-aiff': 'audio/aiff',
  'video/mov': 'video/quicktime',
  'video/avi': 'video/x-msvideo',
};

/** Lower-cases, drops parameters (`; codecs=…`) and resolves aliases: `Audio/X-WAV` → `audio/wav`. */
export function normalizeMediaType(mediaType: string): string {
  const bare = (mediaType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** The part a (normalised) media type travels in, or undefined when no provider reads it. */
export function classifyMediaType(mediaType: string): AttachmentPartType | undefined {
  return BY_TYPE.get(normalizeMediaType(mediaType));
}
