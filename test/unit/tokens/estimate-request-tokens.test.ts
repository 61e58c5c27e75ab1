import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../src/core/spec/chat-request';
import { IMAGE_TOKENS, PDF_TOKENS_PER_PAGE, estimateAudioTokens, estimateFileTokens, estimateVideoTokens } from '../../../src/core/tokens/estimate-media-tokens';
import { estimateRequestTokens } from '../../../src/core/tokens/estimate-request-tokens';
import { estimateTextTokens } from '../../../src/core/tokens/estimate-text-tokens';
import { estimateTokensByScript } from '../../../src/core/tokenizer/estimate-tokens-by-script';

const user = (...content: Extract<ChatRequest['messages'][number], { role: 'user' }>['content']): ChatRequest => ({ messages: [{ role: 'user', content }] });

describe('estimateTextTokens', () => {
  it('is the calibrated tokenizer estimate at the highest family factor (the serving model is not chosen yet)', () => {
    const prose = 'The quick brown fox jumps over the lazy dog and keeps on running far away ';
    assert.equal(estimateTextTokens(prose), estimateTokensByScript(prose, 'route'));
    assert.ok(estimateTextTokens(prose) >= estimateTokensByScript(prose, 'openai'));
    assert.ok(estimateTextTokens(prose) >= estimateTokensByScript(prose, 'anthropic'));
  });

  it('counts code denser than prose, because punctuation rarely merges', () => {
    const code = 'if (a[i] !== b[i]) { return { ok: false, at: i }; }';
    const prose = 'if a of i is not b of i then return not ok at i and';
    assert.ok(Math.abs(code.length - prose.length) <= 1);
    assert.ok(estimateTextTokens(code) > estimateTextTokens(prose) * 1.25);
  });

  it('counts CJK and emoji at a token or more a character, denser than other alphabets', () => {
    assert.ok(estimateTextTokens('你好世界') >= 4);
    assert.ok(estimateTextTokens('🙂🙂') >= 4);
    assert.ok(estimateTextTokens('привет') < estimateTextTokens('你好世界你好'));
  });
});

describe('estimateRequestTokens', () => {
  it('adds per-message framing to the text', () => {
    const request: ChatRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hello there' }] }] };
    // 3 reply priming + 2 × 4 framing + ceil(9/4 with '.' as half a token) + ceil(11/4).
    assert.equal(estimateRequestTokens(request), 3 + 8 + estimateTextTokens('Be brief.') + estimateTextTokens('Hello there'));
  });

  it('counts an image at the documented ceiling', () => {
    const image = { type: 'image' as const, source: { kind: 'url' as const, url: 'https://x/a.png' }, mediaType: 'image/png' };
    const text = estimateRequestTokens(user({ type: 'text', text: 'hi' }));
    assert.equal(estimateRequestTokens(user({ type: 'text', text: 'hi' }, image, image)) - text, 2 * IMAGE_TOKENS);
  });

  it('derives audio and video seconds from their size', () => {
    // 10 s of 16 kHz 16-bit mono WAV = 320,000 bytes → 320 tokens at 32/s.
    const wav = 'A'.repeat(Math.ceil((320_000 * 4) / 3));
    assert.equal(estimateAudioTokens({ type: 'audio', source: { kind: 'base64', data: wav }, mediaType: 'audio/wav' }), 320);
    // The same bytes as MP3 (128 kbit/s) are 20 s.
    assert.equal(estimateAudioTokens({ type: 'audio', source: { kind: 'base64', data: wav }, mediaType: 'audio/mpeg' }), 640);
    assert.equal(estimateVideoTokens({ type: 'video', source: { kind: 'url', url: 'https://x/v.mp4' }, mediaType: 'video/mp4' }), 60 * 263);
  });

  it('counts PDF pages from the page objects', () => {
    const pdf = '%PDF-1.7\n1 0 obj << /Type /Pages /Count 3 >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type/Page >>\n4 0 obj << /Type /Page /Parent 1 0 R >>';
    const part = { type: 'file' as const, source: { kind: 'base64' as const, data: Buffer.from(pdf, 'latin1').toString('base64') }, mediaType: 'application/pdf' };
    assert.equal(estimateFileTokens(part), 3 * PDF_TOKENS_PER_PAGE);
  });

  it('counts a page whatever PDF whitespace separates its key and name, and no other /Page… name', () => {
    const pdf = '<< /Type\r\n/Page >> << /Type\t/Page/Parent 1 0 R >> << /Type /PageLabels >> << /Type /Pages >> << /Typeface /Page >> << /Type/Page';
    // A file cut off in the middle of a name counts what it holds.
    const cut = { type: 'file' as const, source: { kind: 'base64' as const, data: Buffer.from(`${pdf} << /Type /Pa`, 'latin1').toString('base64') }, mediaType: 'application/pdf' };
    assert.equal(estimateFileTokens(cut, 1), 3);
    const part = { type: 'file' as const, source: { kind: 'base64' as const, data: Buffer.from(pdf, 'latin1').toString('base64') }, mediaType: 'application/pdf' };
    assert.equal(estimateFileTokens(part, 1), 3);
    // No page objects: a page per 50 KB, at least one.
    const blob = { type: 'file' as const, source: { kind: 'base64' as const, data: Buffer.alloc(120_000, 0x41).toString('base64') }, mediaType: 'application/pdf' };
    assert.equal(estimateFileTokens(blob, 1), 3);
  });

  it('counts tool definitions and tool traffic', () => {
    const base = estimateRequestTokens(user({ type: 'text', text: 'hi' }));
    const withTools = estimateRequestTokens({ ...user({ type: 'text', text: 'hi' }), tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }] });
    assert.ok(withTools - base > 15);
    const conversation: ChatRequest = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: '1', toolName: 'read_file', input: { path: 'a.ts' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'read_file', output: 'export const a = 1;' }] },
      ],
    };
    assert.ok(estimateRequestTokens(conversation) > base + 8 + estimateTextTokens('export const a = 1;'));
  });
});
