import { mediaTypeFromFilename } from './media-type-from-filename';
import { sniffMediaType } from './sniff-media-type';

/**
 * A file's media type: its magic bytes first, its extension second, undefined when neither is
 * known. Bytes win because a workspace is full of misnamed files (a `.png` screenshot that is
 * really a JPEG), and providers check the bytes against the declared type.
 *
 * One refinement reads the extension even when the bytes matched: a container that holds either
 * audio or video (MP4, WebM, Ogg) cannot be told apart from its first bytes alone, so `.m4a`,
 * `.weba` and `.ogv` pick the audio or video reading of the same container.
 */
export function detectMediaType(filename: string, bytes: Uint8Array): string | undefined {
  const sniffed = sniffMediaType(bytes);
  const byName = mediaTypeFromFilename(filename);
  if (sniffed === undefined) {
    return byName;
  }
  if (byName !== undefined && sameContainer(sniffed, byName)) {
    return byName;
  }
  return sniffed;
}

/**
 * The sniffer's default reading of an ambiguous container, and the other reading an extension may
 * pick. One way only: an `ftyp` brand of `M4A ` is definite, so `clip.mp4` holding it stays audio.
 */
const CONTAINER_TWINS: ReadonlyArray<readonly [sniffed: string, byName: string]> = [
  ['video/mp4', 'audio/mp4'],
  ['video/webm', 'audio/webm'],
  ['audio/ogg', 'video/ogg'],
];

function sameContainer(sniffed: string, byName: string): boolean {
  return CONTAINER_TWINS.some(([a, b]) => sniffed === a && byName === b);
}
