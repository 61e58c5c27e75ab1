import assert from 'node:assert/strict';
import { countPdfPages, extractPdfText } from '../../../src/core/attachments/extract-pdf-text';
import { preparePdf } from '../../../src/core/attachments/prepare-pdf';
import { PerpetuoError } from '../../../src/core/errors/perpetuo-error';
import type { FilePart } from '../../../src/core/spec/chat-request';
import { readMediaFixture } from './read-media-fixture';

const PAGE_1 = 'Perpetuo fixture, page 1: routing requirements.\nAttachments go only to models that can read them.';
const PAGE_2 = 'Page 2: fallbacks happen before the first token.';
const PAGE_3 = 'Page 3: every decision is written to the log.';

const pdfPart = (name = 'spec.pdf', fixture = 'spec.pdf'): FilePart => ({
  type: 'file',
  filename: name,
  mediaType: 'application/pdf',
  source: { kind: 'base64', data: Buffer.from(readMediaFixture(fixture)).toString('base64') },
});

async function rejectsWith(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(PerpetuoError.is(error));
    assert.equal(error.kind, 'invalid-request');
    if (typeof message === 'string') {
      assert.equal(error.message, message);
    } else {
      assert.match(error.message, message);
    }
    return true;
  });
}

describe('extractPdfText (unpdf on the generated PDF)', () => {
  it('reads every page of the fixture, line breaks kept', async () => {
    assert.deepEqual(await extractPdfText(readMediaFixture('spec.pdf')), { totalPages: 3, pages: [PAGE_1, PAGE_2, PAGE_3] });
  });

  it('stops at the page limit but still reports the total', async () => {
    assert.deepEqual(await extractPdfText(readMediaFixture('spec.pdf'), { pageLimit: 1 }), { totalPages: 3, pages: [PAGE_1] });
  });

  it('leaves the caller bytes usable (PDF.js detaches the buffer it is given)', async () => {
    const bytes = readMediaFixture('spec.pdf');
    await countPdfPages(bytes);
    assert.equal(await countPdfPages(bytes), 3);
  });

  it('names the file when the bytes are not a PDF', async () => {
    await rejectsWith(extractPdfText(readMediaFixture('gradient.png'), { filename: 'fake.pdf' }), /^Cannot read fake\.pdf: it could not be read as a PDF \(/);
  });
});

describe('preparePdf', () => {
  it('keeps the file part for the native engine on a model that takes files', async () => {
    const part = pdfPart();
    assert.equal(await preparePdf(part, { engine: 'native', pageLimit: 20, endpointAcceptsFiles: true, extractText: extractPdfText }), part);
  });

  it('extracts text for a model that takes no files, even with the native engine, with a note on top', async () => {
    const prepared = await preparePdf(pdfPart(), { engine: 'native', pageLimit: 20, endpointAcceptsFiles: false, extractText: extractPdfText });
    assert.deepEqual(prepared, {
      type: 'text',
      text: `[pages 1–3 of 3 extracted as text from spec.pdf]\n\n--- page 1 ---\n${PAGE_1}\n\n--- page 2 ---\n${PAGE_2}\n\n--- page 3 ---\n${PAGE_3}`,
    });
  });

  it('says how many pages the page limit left out', async () => {
    const two = await preparePdf(pdfPart(), { engine: 'text', pageLimit: 2, endpointAcceptsFiles: true, extractText: extractPdfText });
    assert.equal(two.type === 'text' && two.text.split('\n')[0], '[pages 1–2 of 3 extracted as text from spec.pdf; page 3 (1 page) left out by the page limit of 2]');
    assert.ok(two.type === 'text' && !two.text.includes(PAGE_3));
    const one = await preparePdf(pdfPart('design.pdf'), { engine: 'text', pageLimit: 1, endpointAcceptsFiles: false, extractText: extractPdfText });
    assert.equal(one.type === 'text' && one.text, `[page 1 of 3 extracted as text from design.pdf; pages 2–3 (2 pages) left out by the page limit of 1]\n\n--- page 1 ---\n${PAGE_1}`);
  });

  it('reads a data: URL PDF', async () => {
    const part: FilePart = { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: `data:application/pdf;base64,${Buffer.from(readMediaFixture('spec.pdf')).toString('base64')}` } };
    const prepared = await preparePdf(part, { engine: 'text', pageLimit: 5, endpointAcceptsFiles: false, extractText: extractPdfText });
    assert.equal(prepared.type === 'text' && prepared.text.split('\n')[0], '[pages 1–3 of 3 extracted as text from an unnamed document (application/pdf)]');
  });

  it('refuses a PDF with no text layer instead of sending an empty document', async () => {
    await rejectsWith(
      preparePdf(pdfPart('scan.pdf', 'blank.pdf'), { engine: 'text', pageLimit: 10, endpointAcceptsFiles: false, extractText: extractPdfText }),
      'scan.pdf has no text layer on its one page (a scanned document?). Pick a model that reads PDFs natively.',
    );
  });

  it('refuses a linked PDF it would have to fetch, and a part that is not a PDF', async () => {
    const linked: FilePart = { type: 'file', mediaType: 'application/pdf', source: { kind: 'url', url: 'https://example.com/docs/spec.pdf?sig=1' } };
    await rejectsWith(
      preparePdf(linked, { engine: 'text', pageLimit: 10, endpointAcceptsFiles: false, extractText: extractPdfText }),
      'Cannot extract the text of spec.pdf: it is a link, and Perpetuo reads only attached files. Attach the file itself, or pick a model that reads PDFs.',
    );
    await rejectsWith(preparePdf({ ...pdfPart('notes.txt'), mediaType: 'text/plain' }, { engine: 'text', pageLimit: 1, endpointAcceptsFiles: false, extractText: extractPdfText }), 'Cannot prepare notes.txt as a PDF: it is text/plain.');
  });

  it('rejects a page limit below one', async () => {
    await assert.rejects(preparePdf(pdfPart(), { engine: 'text', pageLimit: 0, endpointAcceptsFiles: false, extractText: extractPdfText }), RangeError);
  });
});
