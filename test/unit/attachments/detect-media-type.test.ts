import assert from 'node:assert/strict';
import { detectMediaType } from '../../../src/core/attachments/detect-media-type';
import { mediaTypeFromFilename } from '../../../src/core/attachments/media-type-from-filename';
import { sniffMediaType } from '../../../src/core/attachments/sniff-media-type';
import { readMediaFixture } from './read-media-fixture';

/** Bytes from ASCII text and numbers, for hand-built headers. */
function bytes(...pieces: Array<string | number[]>): Uint8Array {
  return new Uint8Array(pieces.flatMap((piece) => (typeof piece === 'string' ? [...piece].map((c) => c.charCodeAt(0)) : piece)));
}

/** An ISO BMFF `ftyp` box with a major brand and compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 2, 0], ...compatible);
}

describe('sniffMediaType on the generated fixtures', () => {
  const cases: Array<[string, string]> = [
    ['gradient.png', 'image/png'],
    ['gradient.jpg', 'image/jpeg'],
    ['pixel.gif', 'image/gif'],
    ['spec.pdf', 'application/pdf'],
    ['blank.pdf', 'application/pdf'],
    ['tone.wav', 'audio/wav'],
    ['clip.mp4', 'video/mp4'],
  ];
  for (const [file, type] of cases) {
    it(`${file} → ${type}`, () => {
      assert.equal(sniffMediaType(readMediaFixture(file)), type);
      // A wrong extension does not fool detection: the bytes win.
      assert.equal(detectMediaType('misnamed.txt', readMediaFixture(file)), type);
    });
  }
});

describe('sniffMediaType on hand-built headers', () => {
  const cases: Array<[string, Uint8Array, string | undefined]> = [
    ['WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['AVI', bytes('RIFF', [0x24, 0, 0, 0], 'AVI LIST'), 'video/x-msvideo'],
    ['RIFF of another kind', bytes('RIFF', [0x24, 0, 0, 0], 'CDXA'), undefined],
    ['FLAC', bytes('fLaC', [0, 0, 0, 0x22]), 'audio/flac'],
    ['Ogg', bytes('OggS', [0, 2, 0, 0]), 'audio/ogg'],
    ['MP3 with an ID3v2 tag', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
    ['MP3 frame, MPEG-1 layer III 128 kbit/s 44.1 kHz', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['MPEG sync with the reserved version bits', bytes([0xff, 0xeb, 0x90, 0x64]), undefined],
    ['MPEG sync with the bad bitrate index', bytes([0xff, 0xfb, 0xf0, 0x64]), undefined],
    ['MPEG sync with the reserved sample rate', bytes([0xff, 0xfb, 0x9c, 0x64]), undefined],
    ['AAC ADTS header', bytes([0xff, 0xf1, 0x50, 0x80]), 'audio/aac'],
    ['M4A (major brand)', ftyp('M4A ', 'M4A ', 'mp42', 'isom'), 'audio/mp4'],
    ['M4A (compatible brand only)', ftyp('mp42', 'isom', 'M4A '), 'audio/mp4'],
    ['MOV', ftyp('qt  ', 'qt  '), 'video/quicktime'],
    ['MOV without ftyp', bytes([0, 0, 0, 8], 'wide', [0, 0, 0, 8], 'mdat'), 'video/quicktime'],
    ['MP4 (mp42)', ftyp('mp42', 'mp42', 'isom'), 'video/mp4'],
    ['3GP', ftyp('3gp5', '3gp5'), 'video/3gpp'],
    ['HEIC', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
    ['AVIF', ftyp('avif', 'mif1', 'avif'), 'image/avif'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm'), 'video/webm'],
    ['Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88], 'matroska'), 'video/x-matroska'],
    ['PDF behind leading junk', bytes('\ufeffjunk\r\n%PDF-1.7\n'), 'application/pdf'],
    ['plain text', bytes('hello, world'), undefined],
    ['empty', new Uint8Array(0), undefined],
    ['a truncated PNG signature', bytes([0x89], 'PNG'), undefined],
  ];
  for (const [name, header, type] of cases) {
    it(`${name} → ${type ?? 'undefined'}`, () => {
      assert.equal(sniffMediaType(header), type);
    });
  }

  it('does not find a PDF signature past the first 1 KiB', () => {
    assert.equal(sniffMediaType(bytes('x'.repeat(1100), '%PDF-1.4')), undefined);
  });
});

describe('detectMediaType', () => {
  it('falls back to the extension when the bytes match no signature', () => {
    assert.equal(detectMediaType('notes/Diagram.SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')), 'image/svg+xml');
    assert.equal(detectMediaType('recording.mp3', bytes('not really audio')), 'audio/mpeg');
  });

  it('returns undefined when neither the bytes nor the name say', () => {
    assert.equal(detectMediaType('README', bytes('# hello')), undefined);
    assert.equal(detectMediaType('archive.xyz', bytes([1, 2, 3, 4])), undefined);
  });

  it('lets the extension pick audio or video for containers that hold either', () => {
    assert.equal(detectMediaType('voice.m4a', ftyp('isom', 'isom', 'mp42')), 'audio/mp4');
    assert.equal(detectMediaType('voice.weba', bytes([0x1a, 0x45, 0xdf, 0xa3], 'webm')), 'audio/webm');
    assert.equal(detectMediaType('movie.ogv', bytes('OggS', [0, 2])), 'video/ogg');
  });

  it('keeps a definite brand over the extension', () => {
    assert.equal(detectMediaType('song.mp4', ftyp('M4A ', 'M4A ')), 'audio/mp4');
    assert.equal(detectMediaType('photo.m4a', readMediaFixture('gradient.png')), 'image/png');
  });
});

describe('mediaTypeFromFilename', () => {
  it('reads the last extension, case-insensitively, through paths and URL queries', () => {
    assert.equal(mediaTypeFromFilename('a/b/report.final.PDF'), 'application/pdf');
    assert.equal(mediaTypeFromFilename('C:\\shots\\screen.JPEG'), 'image/jpeg');
    assert.equal(mediaTypeFromFilename('/bucket/clip.mov?X-Amz-Signature=abc#t=3'), 'video/quicktime');
  });

  it('has no type for dotfiles, names ending in a dot, or unknown extensions', () => {
    assert.equal(mediaTypeFromFilename('.png'), undefined);
    assert.equal(mediaTypeFromFilename('image.'), undefined);
    assert.equal(mediaTypeFromFilename('data.bin'), undefined);
  });
});
