import assert from 'node:assert/strict';
import { ATTACHMENT_LIMITS } from '../../../src/core/attachments/attachment-limits';
import { checkAttachmentLimits } from '../../../src/core/attachments/check-attachment-limits';
import { createAttachmentLimitError } from '../../../src/core/attachments/create-attachment-limit-error';
import { resolveAttachmentLimits } from '../../../src/core/attachments/resolve-attachment-limits';
import type { ChatRequest, UserContentPart } from '../../../src/core/spec/chat-request';

/** Base64 text whose decoded length is exactly `bytes` (a multiple of 3 keeps it unpadded). */
function base64Of(bytes: number): string {
  assert.equal(bytes % 3, 0);
  return 'A'.repeat((bytes / 3) * 4);
}

const ask = (...parts: UserContentPart[]): ChatRequest => ({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Look at these' }, ...parts] }] });
const image = (filename: string, bytes: number, mediaType = 'image/png'): UserContentPart => ({ type: 'image', filename, mediaType, source: { kind: 'base64', data: base64Of(bytes) } });
const messages = (request: ChatRequest, provider: Parameters<typeof checkAttachmentLimits>[1], options?: Parameters<typeof checkAttachmentLimits>[2]) =>
  checkAttachmentLimits(request, provider, options).map((violation) => violation.message);

describe('checkAttachmentLimits', () => {
  it('names the file and the limit when an image is too large, and the request total it breaks', () => {
    const violations = checkAttachmentLimits(ask(image('diagram.png', 24_100_002)), { id: 'anthropic' });
    assert.deepEqual(
      violations.map((v) => [v.limit, v.filename, v.message]),
      [
        ['image-bytes', 'diagram.png', 'diagram.png is 24.1 MB; Anthropic accepts images up to 5 MB.'],
        ['request-bytes', undefined, 'This request carries 32.1 MB of inline attachments as base64 (diagram.png 32.1 MB); Anthropic accepts up to 32 MB inline per request.'],
      ],
    );
    assert.equal(violations[0]?.see, 'https://platform.claude.com/docs/en/build-with-claude/vision');
  });

  it('says so when only the base64 form is over a limit counted as base64', () => {
    assert.deepEqual(messages(ask(image('shot.png', 4_500_000)), { id: 'anthropic' }), [
      'shot.png is 4.5 MB, 6 MB as base64; Anthropic accepts images up to 5 MB counted as base64.',
    ]);
  });

  it('counts images per request: 100 pass on Anthropic, 101 do not', () => {
    const tiny = (n: number) => Array.from({ length: n }, (_, i) => image(`shot-${i}.png`, 3));
    assert.deepEqual(messages(ask(...tiny(100)), { id: 'anthropic' }), []);
    assert.deepEqual(messages(ask(...tiny(101)), { id: 'anthropic' }), ['This request has 101 images; Anthropic accepts up to 100 per request.']);
  });

  it('checks image types per provider, resolving Gemini by id alias and by kind', () => {
    const request = ask(image('pixel.gif', 3, 'image/gif'));
    const expected = ['pixel.gif is image/gif; Gemini accepts PNG, JPEG, WebP, HEIC and HEIF images.'];
    assert.deepEqual(messages(request, { id: 'google' }), expected);
    assert.deepEqual(messages(request, { id: 'work-gemini', kind: 'gemini' }), expected);
    assert.deepEqual(messages(request, { id: 'anthropic' }), []);
  });

  it('checks audio formats: OpenAI takes WAV and MP3 only', () => {
    const flac: UserContentPart = { type: 'audio', filename: 'take.flac', mediaType: 'audio/flac', source: { kind: 'base64', data: base64Of(3) } };
    assert.deepEqual(messages(ask(flac), { id: 'openai' }), ['take.flac is audio/flac; OpenAI accepts WAV and MP3 audio.']);
    assert.deepEqual(messages(ask(flac), { id: 'google' }), []);
  });

  it('checks PDF pages when the caller knows them, one PDF or several together', () => {
    const pdf = (filename: string): UserContentPart => ({ type: 'file', filename, mediaType: 'application/pdf', source: { kind: 'base64', data: base64Of(3) } });
    const pages: Record<string, number> = { 'spec.pdf': 150, 'a.pdf': 60, 'b.pdf': 50 };
    const pdfPageCount = (part: { filename?: string }) => pages[part.filename ?? ''];
    assert.deepEqual(messages(ask(pdf('spec.pdf')), { id: 'openai' }, { pdfPageCount }), ['spec.pdf has 150 pages; OpenAI accepts up to 100 PDF pages per request.']);
    assert.deepEqual(messages(ask(pdf('a.pdf'), pdf('b.pdf')), { id: 'anthropic' }, { pdfPageCount }), [
      'The PDFs of this request have 110 pages together (a.pdf: 60, b.pdf: 50); Anthropic accepts up to 100 PDF pages per request.',
    ]);
    assert.deepEqual(messages(ask(pdf('a.pdf'), pdf('b.pdf')), { id: 'google' }, { pdfPageCount }), []);
    // Without page counts the page limit is not guessed.
    assert.deepEqual(messages(ask(pdf('spec.pdf')), { id: 'openai' }), []);
  });

  it('checks PDF bytes', () => {
    const big: UserContentPart = { type: 'file', filename: 'manual.pdf', mediaType: 'application/pdf', source: { kind: 'base64', data: base64Of(51_000_000) } };
    assert.deepEqual(messages(ask(big), { id: 'google' }), ['manual.pdf is 51 MB; Gemini accepts PDFs up to 50 MB.']);
  });

  it('totals inline data across files and names the largest three', () => {
    const video = (filename: string, bytes: number): UserContentPart => ({ type: 'video', filename, mediaType: 'video/mp4', source: { kind: 'base64', data: base64Of(bytes) } });
    assert.deepEqual(messages(ask(video('a.mp4', 30_000_000), video('b.mp4', 24_000_000), video('c.mp4', 15_000_000), video('d.mp4', 9_000_000)), { id: 'google' }), [
      'This request carries 104 MB of inline attachments as base64 (largest: a.mp4 40 MB, b.mp4 32 MB, c.mp4 20 MB); Gemini accepts up to 100 MB inline per request.',
    ]);
  });

  it('measures data: URLs, and checks remote links for type only', () => {
    const dataUrl: UserContentPart = { type: 'image', filename: 'big.png', mediaType: 'image/png', source: { kind: 'url', url: `data:image/png;base64,${base64Of(6_000_000)}` } };
    assert.deepEqual(messages(ask(dataUrl), { id: 'anthropic' }), ['big.png is 6 MB; Anthropic accepts images up to 5 MB.']);
    const remote: UserContentPart = { type: 'image', mediaType: 'image/tiff', source: { kind: 'url', url: 'https://example.com/scans/page.tiff?sig=x' } };
    assert.deepEqual(messages(ask(remote), { id: 'openai' }), ['page.tiff is image/tiff; OpenAI accepts PNG, JPEG, WebP and non-animated GIF images.']);
  });

  it('finds nothing to check for a provider without an entry, and resolves by kind', () => {
    assert.deepEqual(messages(ask(image('diagram.png', 24_000_000)), { id: 'groq', kind: 'openai-compatible' }), []);
    assert.equal(resolveAttachmentLimits({ id: 'my-vllm', kind: 'openai-compatible' }), undefined);
    assert.equal(resolveAttachmentLimits({ id: 'claude-work', kind: 'anthropic' })?.name, 'Anthropic');
  });
});

describe('createAttachmentLimitError', () => {
  it('joins every violation into one invalid-request error, or returns undefined for none', () => {
    const violations = checkAttachmentLimits(ask(image('diagram.png', 24_100_002)), { id: 'anthropic' });
    const error = createAttachmentLimitError(violations, 'anthropic');
    assert.equal(error?.kind, 'invalid-request');
    assert.equal(error?.provider, 'anthropic');
    assert.equal(error?.message, violations.map((v) => v.message).join(' '));
    assert.equal(createAttachmentLimitError([]), undefined);
  });
});

describe('ATTACHMENT_LIMITS', () => {
  it('gives every limit a provider https page and a date', () => {
    for (const [provider, limits] of Object.entries(ATTACHMENT_LIMITS)) {
      for (const [field, value] of Object.entries(limits)) {
        if (field === 'name') {
          continue;
        }
        const source = value as { see: string; asOf: string };
        assert.match(source.see, /^https:\/\//, `${provider}.${field}`);
        assert.match(source.asOf, /^\d{4}-\d{2}-\d{2}$/, `${provider}.${field}`);
      }
    }
  });
});
