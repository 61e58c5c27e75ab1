import type { MediaSource } from '../core/spec';
import { EndpointRejection } from './endpoint-rejection';

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
};

/**
 * A media reference as clients send it — a `data:<type>;base64,<bytes>` URL or an http(s) URL —
 * as our `MediaSource` with its media type. A URL's type comes from its extension, else the
 * caller's fallback. Anything else (a `file:` URL, a data URL that is not base64) is a 400: we
 * never fetch local files on a client's behalf.
 */
export function parseMediaUrl(url: string, fallbackMediaType: string, param: string): { source: MediaSource; mediaType: string } {
  const dataUrl = /^data:([^;,]+)((?:;[^;,]+)*);base64,(.*)$/s.exec(url);
  if (dataUrl !== null) {
    return { source: { kind: 'base64', data: dataUrl[3] ?? '' }, mediaType: dataUrl[1] ?? fallbackMediaType };
  }
  if (/^https?:\/\//i.test(url)) {
    const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
    return { source: { kind: 'url', url }, mediaType: (extension && EXTENSION_TYPES[extension]) || fallbackMediaType };
  }
  throw new EndpointRejection({
    status: 400,
    errorType: 'invalid_request',
    message: `Invalid field '${param}': expected an http(s) URL or a base64 data URL.`,
    param,
  });
}
