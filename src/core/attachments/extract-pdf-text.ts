import { getDocumentProxy } from 'unpdf';
import { PerpetuoError } from '../errors/perpetuo-error';

/** The text of a PDF's first pages, and how many pages it has in all. */
export interface PdfText {
  totalPages: number;
  /** One string per page read, from page 1; `pages.length` is `min(pageLimit, totalPages)`. */
  pages: string[];
}

/**
 * Reads the text layer of a PDF page by page with PDF.js (through `unpdf`, a build with no worker
 * and no native canvas, so it runs in plain Node and in the extension host). Pages past
 * `pageLimit` are not parsed at all: a 900-page manual costs only the pages kept. Items that end
 * a line (`hasEOL`) end it in the text; no other layout is reconstructed.
 *
 * A password-protected or unreadable file is an `invalid-request` error naming `filename`.
 * @see https://github.com/unjs/unpdf
 * @see https://mozilla.github.io/pdf.js/api/draft/module-pdfjsLib-PDFPageProxy.html#getTextContent
 */
export async function extractPdfText(bytes: Uint8Array, options: { pageLimit?: number; filename?: string } = {}): Promise<PdfText> {
  const document = await openPdf(bytes, options.filename ?? 'the PDF');
  try {
    const readable = Math.min(document.numPages, options.pageLimit ?? document.numPages);
    const pages: string[] = [];
    for (let number = 1; number <= readable; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if ('str' in item) {
          text += item.str + (item.hasEOL ? '\n' : '');
        }
      }
      pages.push(text.trim());
      page.cleanup();
    }
    return { totalPages: document.numPages, pages };
  } finally {
    await document.destroy();
  }
}

/** Pages of a PDF, without reading their content. */
export async function countPdfPages(bytes: Uint8Array, filename = 'the PDF'): Promise<number> {
  const document = await openPdf(bytes, filename);
  try {
    return document.numPages;
  } finally {
    await document.destroy();
  }
}

async function openPdf(bytes: Uint8Array, filename: string) {
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given, and refuses a Node Buffer:
    // hand it a plain Uint8Array copy.
    return await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason = name === 'PasswordException' ? 'it is password-protected' : `it could not be read as a PDF (${error instanceof Error ? error.message : String(error)})`;
    throw new PerpetuoError({ kind: 'invalid-request', message: `Cannot read ${filename}: ${reason}.`, isRetryable: false, cause: error });
  }
}
