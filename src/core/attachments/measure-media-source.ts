import type { MediaSource } from '../spec/chat-request';
import { parseDataUrl } from './parse-data-url';

/** How many bytes a media part carries inline. */
export interface MediaSize {
  /** Decoded size of the file. */
  bytes: number;
  /** Length of the base64 text that goes on the wire. */
  base64Length: number;
}

/**
 * Size of a part's inline payload, for base64 sources and `data:` URLs; undefined for a remote URL
 * (the provider fetches it, so its size is unknown here and counts against no inline limit).
 */
export function measureMediaSource(source: MediaSource): MediaSize | undefined {
  if (source.kind === 'base64') {
    return { bytes: decodedLength(source.data), base64Length: source.data.length };
  }
  const parsed = /^\s*data:/i.test(source.url) ? parseDataUrl(source.url) : undefined;
  return parsed === undefined ? undefined : { bytes: parsed.byteLength, base64Length: parsed.base64.length };
}

/** Decoded length of base64 text without decoding it (megabytes of it arrive per request). */
function decodedLength(base64: string): number {
  let length = base64.length;
  while (length > 0 && base64.charCodeAt(length - 1) === 0x3d /* = */) {
    length--;
  }
  return Math.floor((length * 3) / 4);
}
