/**
 * The media type a file's first bytes announce, or undefined when no signature matches. Reads at
 * most the first 1 KiB. Signatures:
 * - images: PNG (8-byte signature), JPEG (`FF D8 FF`), GIF (`GIF87a`/`GIF89a`), WebP (`RIFF….WEBP`),
 *   HEIC/HEIF/AVIF (ISO BMFF `ftyp` brands);
 * - PDF: `%PDF-` anywhere in the first 1 KiB (readers accept leading junk there, and some
 *   generators write a BOM or a mail header first);
 * - audio: WAV (`RIFF….WAVE`), FLAC (`fLaC`), Ogg (`OggS`), MP3 (an `ID3` tag, or an MPEG audio
 *   frame header), AAC (an ADTS header), M4A (`ftyp` brand `M4A `);
 * - video: MP4 and MOV (`ftyp` brands, or a bare QuickTime `moov`/`mdat` atom), WebM and Matroska
 *   (EBML header, told apart by DocType).
 * @see https://www.w3.org/TR/png/#5PNG-file-signature
 * @see https://mimesniff.spec.whatwg.org/#matching-an-image-type-pattern
 * @see https://mimesniff.spec.whatwg.org/#matching-an-audio-or-video-type-pattern
 */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  const at = (offset: number, ascii: string) => startsWith(bytes, offset, ascii);
  if (bytes.length >= 8 && at(0, '\x89PNG\r\n\x1a\n')) {
    return 'image/png';
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) {
    return 'image/gif';
  }
  if (at(0, 'RIFF') && bytes.length >= 12) {
    if (at(8, 'WEBP')) {
      return 'image/webp';
    }
    if (at(8, 'WAVE')) {
      return 'audio/wav';
    }
    if (at(8, 'AVI ')) {
      return 'video/x-msvideo';
    }
    return undefined;
  }
  if (indexOf(bytes, '%PDF-', 1024) !== -1) {
    return 'application/pdf';
  }
  if (at(0, 'fLaC')) {
    return 'audio/flac';
  }
  if (at(0, 'OggS')) {
    return 'audio/ogg';
  }
  if (at(4, 'ftyp')) {
    return isoBrandMediaType(bytes);
  }
  // QuickTime files from before `ftyp` existed start straight with an atom.
  if (at(4, 'moov') || at(4, 'mdat') || at(4, 'wide')) {
    return 'video/quicktime';
  }
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    // The EBML header carries a DocType string: `webm` or `matroska`.
    if (indexOf(bytes, 'webm', 64) !== -1) {
      return 'video/webm';
    }
    return indexOf(bytes, 'matroska', 64) !== -1 ? 'video/x-matroska' : undefined;
  }
  if (at(0, 'ID3')) {
    return 'audio/mpeg';
  }
  return sniffMpegAudioFrame(bytes);
}

const AUDIO_BRANDS: ReadonlySet<string> = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ']);
const IMAGE_BRANDS: Readonly<Record<string, string>> = {
  heic: 'image/heic',
  heix: 'image/heic',
  heim: 'image/heic',
  heis: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  avif: 'image/avif',
  avis: 'image/avif',
};

/**
 * An ISO BMFF file names its major brand at bytes 8–11 and compatible brands after the minor
 * version. M4A files sometimes carry a generic major brand (`isom`, `mp42`) and `M4A ` only among
 * the compatible ones, so those are read too.
 * @see https://www.iso.org/standard/83102.html (ISO/IEC 14496-12 §4.3, FileTypeBox)
 */
function isoBrandMediaType(bytes: Uint8Array): string {
  const boxSize = readUint32(bytes, 0);
  const major = ascii(bytes, 8, 4);
  const compatible: string[] = [];
  for (let offset = 16; offset + 4 <= Math.min(boxSize, bytes.length, 256); offset += 4) {
    compatible.push(ascii(bytes, offset, 4));
  }
  const image = IMAGE_BRANDS[major];
  if (image !== undefined) {
    return image;
  }
  if (major === 'qt  ') {
    return 'video/quicktime';
  }
  if (major.startsWith('3g')) {
    return 'video/3gpp';
  }
  if (AUDIO_BRANDS.has(major) || compatible.some((brand) => AUDIO_BRANDS.has(brand))) {
    return 'audio/mp4';
  }
  return 'video/mp4';
}

/**
 * An MPEG audio frame header (11 sync bits, then version, layer, bitrate and sample-rate fields
 * that must not hold their reserved values) means MP3 (or MP2); the same sync with layer `00` is
 * an AAC ADTS header. Checking the reserved values keeps random bytes that merely start with
 * `FF E?` from passing as audio.
 * @see http://www.mp3-tech.org/programmer/frame_header.html
 * @see https://wiki.multimedia.cx/index.php/ADTS
 */
function sniffMpegAudioFrame(bytes: Uint8Array): string | undefined {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]];
  if (b0 !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) {
    return undefined;
  }
  const layer = (b1 >> 1) & 0b11;
  if (layer === 0) {
    // ADTS: the 12-bit sync (FFF), layer 00, and a sampling-frequency index below 13.
    return (b1 & 0xf0) === 0xf0 && ((b2 >> 2) & 0b1111) < 13 ? 'audio/aac' : undefined;
  }
  const version = (b1 >> 3) & 0b11;
  const bitrate = b2 >> 4;
  const sampleRate = (b2 >> 2) & 0b11;
  return version !== 0b01 && bitrate !== 0b1111 && sampleRate !== 0b11 ? 'audio/mpeg' : undefined;
}

function startsWith(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    if (bytes[offset + i] !== text.charCodeAt(i)) {
      return false;
    }
  }
  return true;
}

function indexOf(bytes: Uint8Array, text: string, within: number): number {
  const end = Math.min(bytes.length, within) - text.length;
  for (let offset = 0; offset <= end; offset++) {
    if (startsWith(bytes, offset, text)) {
      return offset;
    }
  }
  return -1;
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (((bytes[offset] ?? 0) << 24) | ((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0)) >>> 0;
}
