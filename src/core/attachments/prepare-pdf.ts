import type { FilePart, TextPart } from '../spec/chat-request';
import { attachmentError } from './create-attachment-part';
import { describeAttachment } from './describe-attachment';
import type { PdfText } from './extract-pdf-text';
import { parseDataUrl } from './parse-data-url';

/** How a PDF reaches a model. */
export interface PreparePdfOptions {
  /**
   * `native`: send the file to a model that reads PDFs itself (it sees the pages as images too);
   * `text`: always send the extracted text (cheaper, and the only way to a text-only model).
   */
  engine: 'native' | 'text';
  /** Most pages extracted as text; the rest are left out and the note says how many. */
  pageLimit: number;
  /** Whether the chosen endpoint takes `file` input (its catalog `inputModalities` has `file`). */
  endpointAcceptsFiles: boolean;
  /**
   * The text extractor (`extractPdfText`), injected: PDF.js is 1.6 MB, so the extension loads it
   * from its own bundle (`dist/pdf-text.js`) the first time a PDF must become text.
   */
  extractText: (bytes: Uint8Array, options: { pageLimit?: number; filename?: string }) => Promise<PdfText>;
}

/**
 * Makes a PDF part fit the model it goes to: with `engine: 'native'` and a model that reads files,
 * the file part as it is; otherwise its text, page by page up to `pageLimit`, as one text part that
 * begins with a note the model and the user both read:
 * `[pages 1–20 of 57 extracted as text from spec.pdf; pages 21–57 (37 pages) left out by the page limit of 20]`.
 * Pages without a text layer are named in the note too. Nothing is dropped without saying so, and
 * a PDF with no text at all is an error (sending only a note would answer a question about an
 * empty document).
 *
 * Only inline PDFs (base64 or `data:` URL) can be extracted: core fetches nothing, so an
 * `https://` PDF for a text-only model is an `invalid-request` error naming it.
 * @see https://openrouter.ai/docs/features/multimodal/pdfs (OpenRouter's engines: native, text, OCR)
 * @see https://platform.claude.com/docs/en/build-with-claude/pdf-support
 */
export async function preparePdf(part: FilePart, options: PreparePdfOptions): Promise<FilePart | TextPart> {
  const name = describeAttachment(part);
  if (part.mediaType.toLowerCase() !== 'application/pdf') {
    throw attachmentError(`Cannot prepare ${name} as a PDF: it is ${part.mediaType}.`);
  }
  if (options.engine === 'native' && options.endpointAcceptsFiles) {
    return part;
  }
  if (!Number.isInteger(options.pageLimit) || options.pageLimit < 1) {
    throw new RangeError(`pageLimit must be a whole number of at least 1, got ${options.pageLimit}`);
  }
  const bytes = inlineBytes(part);
  if (bytes === undefined) {
    throw attachmentError(
      `Cannot extract the text of ${name}: it is a link, and Perpetuo reads only attached files. Attach the file itself, or pick a model that reads PDFs.`,
    );
  }
  const { totalPages, pages } = await options.extractText(bytes, { pageLimit: options.pageLimit, filename: name });
  const empty = pages.flatMap((text, index) => (text === '' ? [index + 1] : []));
  if (pages.length === 0 || empty.length === pages.length) {
    const where = totalPages === 1 ? 'on its one page' : pages.length === totalPages ? `in any of its ${totalPages} pages` : `in its first ${pages.length} of ${totalPages} pages`;
    throw attachmentError(`${name} has no text layer ${where} (a scanned document?). Pick a model that reads PDFs natively.`);
  }
  const body = pages.flatMap((text, index) => (text === '' ? [] : [`--- page ${index + 1} ---\n${text}`])).join('\n\n');
  return { type: 'text', text: `${describeExtraction(name, pages.length, totalPages, options.pageLimit, empty)}\n\n${body}` };
}

/** The bracketed note that heads the extracted text. */
function describeExtraction(name: string, read: number, total: number, pageLimit: number, empty: number[]): string {
  const range = read === 1 ? `page 1 of ${total}` : `pages 1–${read} of ${total}`;
  const clauses = [`${range} extracted as text from ${name}`];
  const left = total - read;
  if (left > 0) {
    const leftRange = left === 1 ? `page ${total}` : `pages ${read + 1}–${total}`;
    clauses.push(`${leftRange} (${left} page${left === 1 ? '' : 's'}) left out by the page limit of ${pageLimit}`);
  }
  if (empty.length > 0) {
    const shown = empty.length > 10 ? `${empty.slice(0, 10).join(', ')} and ${empty.length - 10} more` : empty.join(', ');
    clauses.push(`no text found on page${empty.length === 1 ? '' : 's'} ${shown} (images only?)`);
  }
  return `[${clauses.join('; ')}]`;
}

function inlineBytes(part: FilePart): Uint8Array | undefined {
  if (part.source.kind === 'base64') {
    return Buffer.from(part.source.data, 'base64');
  }
  const parsed = /^\s*data:/i.test(part.source.url) ? parseDataUrl(part.source.url) : undefined;
  return parsed === undefined ? undefined : Buffer.from(parsed.base64, 'base64');
}
