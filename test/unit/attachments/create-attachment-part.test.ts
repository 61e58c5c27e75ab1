import assert from 'node:assert/strict';
import { createAttachmentPart } from '../../../src/core/attachments/create-attachment-part';
import { createAttachmentPartFromUrl } from '../../../src/core/attachments/create-attachment-part-from-url';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import { readMediaFixture } from './read-media-fixture';

function rejects(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(PerpetuoError.is(error));
    assert.equal(error.kind, 'invalid-request');
    assert.equal(error.isRetryable, false);
    assert.equal(error.message, message);
    return true;
  });
}

describe('createAttachmentPart', () => {
  it('makes the part each fixture travels in, inline as base64 of the exact bytes', () => {
    const cases: Array<[string, string, string]> = [
      ['gradient.png', 'image', 'image/png'],
      ['gradient.jpg', 'image', 'image/jpeg'],
      ['pixel.gif', 'image', 'image/gif'],
      ['tone.wav', 'audio', 'audio/wav'],
      ['clip.mp4', 'video', 'video/mp4'],
      ['spec.pdf', 'file', 'application/pdf'],
    ];
    for (const [filename, type, mediaType] of cases) {
      const bytes = readMediaFixture(filename);
      const part = createAttachmentPart({ filename, bytes });
      assert.deepEqual(part, { type, source: { kind: 'base64', data: Buffer.from(bytes).toString('base64') }, mediaType, filename });
    }
  });

  it('encodes only the view it is given, not the whole underlying buffer', () => {
    const png = readMediaFixture('gradient.png');
    const padded = new Uint8Array(png.length + 20);
    padded.set(png, 10);
    const part = createAttachmentPart({ filename: 'x.png', bytes: padded.subarray(10, 10 + png.length) });
    assert.equal(part.source.kind === 'base64' && part.source.data, Buffer.from(png).toString('base64'));
  });

  it('trusts the bytes over a wrong name or a wrong declared type', () => {
    const part = createAttachmentPart({ filename: 'photo.png', bytes: readMediaFixture('gradient.jpg'), mediaType: 'image/png' });
    assert.equal(part.mediaType, 'image/jpeg');
  });

  it('uses the declared type, normalised, when the bytes match no signature', () => {
    const part = createAttachmentPart({ filename: 'clip', bytes: new Uint8Array([1, 2, 3]), mediaType: 'Audio/X-WAV; codecs=1' });
    assert.deepEqual([part.type, part.mediaType], ['audio', 'audio/wav']);
  });

  it('falls back to the extension when nothing else says', () => {
    assert.equal(createAttachmentPart({ filename: 'voice.aiff', bytes: new Uint8Array([1, 2, 3]) }).mediaType, 'audio/aiff');
  });

  it('refuses an unknown type, naming the file and what can be attached', () => {
    rejects(
      () => createAttachmentPart({ filename: 'data.bin', bytes: new Uint8Array([1, 2, 3]) }),
      'Cannot attach data.bin: its type could not be recognised from its bytes or its name. Perpetuo can attach images (PNG, JPEG, GIF, WebP, HEIC/HEIF), PDF documents, audio (WAV, MP3, FLAC, Ogg, M4A, AAC, AIFF, WebM) and video (MP4, MOV, WebM, MPEG, 3GP, AVI, Ogg).',
    );
  });

  it('refuses a known type no provider reads', () => {
    const mkv = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, ...Buffer.from('matroska')]);
    assert.throws(() => createAttachmentPart({ filename: 'talk.mkv', bytes: mkv }), /^PerpetuoError: Cannot attach talk\.mkv: it is video\/x-matroska, which no provider Perpetuo routes to reads\./);
  });

  it('refuses an empty file and one over maxBytes', () => {
    rejects(() => createAttachmentPart({ filename: 'empty.png', bytes: new Uint8Array(0) }), 'Cannot attach empty.png: the file is empty.');
    rejects(
      () => createAttachmentPart({ filename: 'tone.wav', bytes: readMediaFixture('tone.wav') }, { maxBytes: 1000 }),
      'Cannot attach tone.wav: it is 4 kB, and no provider takes more than 1 kB inline. Send it as an https:// link instead.',
    );
  });
});

describe('createAttachmentPartFromUrl', () => {
  it('decodes a data: URL and types it by its bytes', () => {
    const png = readMediaFixture('gradient.png');
    const url = `data:application/octet-stream;base64,${Buffer.from(png).toString('base64')}`;
    assert.deepEqual(createAttachmentPartFromUrl(url, { filename: 'pasted.png' }), {
      type: 'image',
      source: { kind: 'base64', data: Buffer.from(png).toString('base64') },
      mediaType: 'image/png',
      filename: 'pasted.png',
    });
  });

  it('uses the data: URL type when the bytes match no signature, and has no filename unless given', () => {
    const part = createAttachmentPartFromUrl('data:audio/mpeg;base64,AAECAw==');
    assert.deepEqual(part, { type: 'audio', source: { kind: 'base64', data: 'AAECAw==' }, mediaType: 'audio/mpeg' });
  });

  it('refuses a malformed data: URL', () => {
    rejects(() => createAttachmentPartFromUrl('data:image/png;base64,***'), 'Cannot attach the data: URL: it is not a well-formed base64 or percent-encoded data: URL.');
  });

  it('keeps an https link as a URL, typed by its path, named by its last segment', () => {
    const url = 'https://files.example.com/reports/Q3%20summary.pdf?X-Amz-Signature=secret';
    assert.deepEqual(createAttachmentPartFromUrl(url), { type: 'file', source: { kind: 'url', url }, mediaType: 'application/pdf', filename: 'Q3 summary.pdf' });
  });

  it('takes the type from the caller for a link without an extension', () => {
    assert.equal(createAttachmentPartFromUrl('https://example.com/download/123', { mediaType: 'video/mp4' }).type, 'video');
  });

  it('refuses http, file and unknown-type links without echoing the query', () => {
    rejects(
      () => createAttachmentPartFromUrl('http://example.com/a.png?token=abc'),
      'Cannot attach http://example.com/a.png: providers fetch attachments themselves and take https:// links only, not http:',
    );
    rejects(() => createAttachmentPartFromUrl('file:///home/me/a.png'), 'Cannot attach file:///home/me/a.png: providers fetch attachments themselves and take https:// links only, not file:');
    rejects(
      () => createAttachmentPartFromUrl('https://example.com/download/123?sig=abc'),
      'Cannot attach https://example.com/download/123: the link does not end in a known file extension; give its media type.',
    );
    rejects(() => createAttachmentPartFromUrl('not a url'), 'Cannot attach a link: it is not a valid URL.');
  });
});
