import { preparePdf } from '../attachments/prepare-pdf';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatRequest, FilePart, UserContentPart } from '../spec/chat-request';
import type { AttachmentSettings, PdfTextModule } from './attachment-settings';
import type { PdfTextMemo } from './pdf-text-memo';
import { isExtractablePdf } from './view-request-for-planning';

/**
 * Each inline PDF of one request as the text part a target that reads no files is sent: extracted
 * once (PDF.js, up to the page limit) and shared by the planner's size estimate and every target
 * that gets the text; with the engine's `memo`, not again on the conversation's next turn. A PDF
 * that cannot be read rejects with an `invalid-request` error naming it.
 */
export type PdfTextCache = (part: FilePart) => Promise<UserContentPart>;

export function createPdfTextCache(settings: AttachmentSettings, loadPdfText: (() => Promise<PdfTextModule>) | undefined, memo?: PdfTextMemo): PdfTextCache {
  // Made on the first PDF: most requests have none.
  let texts: Map<FilePart, Promise<UserContentPart>> | undefined;
  let module: Promise<PdfTextModule> | undefined;
  const extractText: Parameters<typeof preparePdf>[1]['extractText'] = async (bytes, extract) => {
    if (loadPdfText === undefined) {
      throw new PerpetuoError({
        kind: 'invalid-request',
        message: `${extract.filename ?? 'The PDF'} must go as text to this model, and PDF text extraction is not available here. Pick a model that reads PDFs.`,
        isRetryable: false,
      });
    }
    module ??= loadPdfText();
    return (await module).extractPdfText(bytes, extract);
  };
  return (part) => {
    texts ??= new Map();
    let text = texts.get(part);
    if (text === undefined) {
      const extract = (): Promise<UserContentPart> =>
        preparePdf(part, { engine: 'text', pageLimit: settings.pdfPageLimit, endpointAcceptsFiles: false, extractText }).then(asOwnParagraph);
      text = memo === undefined ? extract() : memo(part, settings.pdfPageLimit, extract);
      texts.set(part, text);
    }
    return text;
  };
}

/** The request as a target that gets its inline PDFs as text receives it. */
export async function withPdfsAsText(request: ChatRequest, pdfText: PdfTextCache): Promise<ChatRequest> {
  const messages = await Promise.all(
    request.messages.map(async (message) => {
      if (message.role !== 'user' || !message.content.some(isExtractablePdf)) {
        return message;
      }
      const content = await Promise.all(message.content.map((part) => (isExtractablePdf(part) ? pdfText(part) : part)));
      return { ...message, content };
    }),
  );
  return { ...request, messages };
}

/**
 * Extracted text between blank lines: adapters that send a text-only message as one string join
 * its parts as they are, and the document must not run on from the user's sentence.
 */
function asOwnParagraph(part: UserContentPart): UserContentPart {
  return part.type === 'text' ? { type: 'text', text: `\n\n${part.text}\n\n` } : part;
}
