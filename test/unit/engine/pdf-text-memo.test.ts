import assert from 'node:assert/strict';
import { createPdfTextMemo } from '../../../src/core/engine/pdf-text-memo';
import type { FilePart, UserContentPart } from '../../../src/core/spec/chat-request';

const pdf = (data: string, filename = 'a.pdf'): FilePart => ({ type: 'file', source: { kind: 'base64', data }, mediaType: 'application/pdf', filename });

describe('PDF text memo: what an engine keeps of the PDFs it has read', () => {
  /** A memo whose extractions are counted; each yields the data it was given. */
  function counted() {
    const memo = createPdfTextMemo();
    let extractions = 0;
    const text = (part: FilePart, pageLimit = 50, fail = false): Promise<UserContentPart> =>
      memo(part, pageLimit, () => {
        extractions += 1;
        return fail ? Promise.reject(new Error('PDF.js did not load')) : Promise.resolve({ type: 'text', text: part.source.kind === 'base64' ? part.source.data : '' });
      });
    return { text, extractions: () => extractions };
  }

  it('reads a file once for the same data, page limit and name, and again when any of them differs', async () => {
    const { text, extractions } = counted();
    assert.deepEqual(await text(pdf('JVBERi0xLjQK')), { type: 'text', text: 'JVBERi0xLjQK' });
    await text(pdf('JVBERi0xLjQK'));
    assert.equal(extractions(), 1);
    await text(pdf('JVBERi0xLjUK'));
    await text(pdf('JVBERi0xLjQK'), 10);
    await text(pdf('JVBERi0xLjQK', 'b.pdf'));
    assert.equal(extractions(), 4);
  });

  it('does not keep a failed extraction: the next request tries again', async () => {
    const { text, extractions } = counted();
    await assert.rejects(text(pdf('JVBERi0xLjQK'), 50, true), /PDF\.js did not load/);
    assert.deepEqual(await text(pdf('JVBERi0xLjQK')), { type: 'text', text: 'JVBERi0xLjQK' });
    assert.equal(extractions(), 2);
  });

  it('keeps the eight used last: a ninth file pushes out the one unused longest', async () => {
    const { text, extractions } = counted();
    for (let file = 0; file < 8; file++) await text(pdf(`file-${file}`));
    // File 0 used again: file 1 is now the oldest.
    await text(pdf('file-0'));
    await text(pdf('file-8'));
    assert.equal(extractions(), 9);
    await text(pdf('file-0'));
    assert.equal(extractions(), 9, 'file 0 was kept');
    await text(pdf('file-1'));
    assert.equal(extractions(), 10, 'file 1 was pushed out');
  });
});
