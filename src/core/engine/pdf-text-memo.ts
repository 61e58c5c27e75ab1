import { createHash } from 'node:crypto';
import { describeAttachment } from '../attachments/describe-attachment';
import type { FilePart, UserContentPart } from '../spec/chat-request';

/** PDFs whose text an engine keeps: a conversation's attachments, and a few more. */
const KEPT_PDFS = 8;

/**
 * The text of the PDFs an engine has read lately, across requests. A conversation sends its
 * attachments again on every turn, and each request's text was extracted again before planning:
 * PDF.js takes ~4 ms for three pages and ~190 ms for sixty (BENCHMARKS.md, attachments).
 *
 * Kept by what the text depends on: a SHA-256 of the inline data, the page limit and the file's
 * name (the text's first line names both), so an edited file or a changed limit is read again.
 * The last {@link KEPT_PDFS} are kept; a failed extraction is not, so a PDF.js that failed to load
 * is tried again by the next request.
 */
export type PdfTextMemo = (part: FilePart, pageLimit: number, extract: () => Promise<UserContentPart>) => Promise<UserContentPart>;

export function createPdfTextMemo(): PdfTextMemo {
  // Insertion order is use order: a hit is moved to the end, the first entry is the oldest.
  const kept = new Map<string, Promise<UserContentPart>>();
  return (part, pageLimit, extract) => {
    const key = `${digestOf(part)}\0${pageLimit}\0${describeAttachment(part)}`;
    const hit = kept.get(key);
    if (hit !== undefined) {
      kept.delete(key);
      kept.set(key, hit);
      return hit;
    }
    const text = extract();
    kept.set(key, text);
    if (kept.size > KEPT_PDFS) {
      kept.delete(kept.keys().next().value as string);
    }
    text.catch(() => {
      if (kept.get(key) === text) {
        kept.delete(key);
      }
    });
    return text;
  };
}

/**
 * The inline data's digest, of its base64 text as sent (no decoding needed to tell two files
 * apart). Base64 is ASCII, so hashed as latin1: the same bytes as UTF-8, without transcoding
 * the whole string first.
 */
function digestOf(part: FilePart): string {
  const hash = createHash('sha256');
  return (part.source.kind === 'base64' ? hash.update(part.source.data, 'latin1') : hash.update(part.source.url)).digest('base64');
}
