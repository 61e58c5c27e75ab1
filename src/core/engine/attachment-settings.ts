import type { PdfText } from '../attachments/extract-pdf-text';

/** How the engine treats attachments; the user's `perpetuo.attachments.*` settings. */
export interface AttachmentSettings {
  /**
   * `native`: a PDF goes as a file to a model that reads PDFs, as extracted text to one that does
   * not; `text`: always as extracted text (cheaper: no page images).
   */
  pdfEngine: 'native' | 'text';
  /** Most PDF pages extracted as text; the note at the head of the text says what was left out. */
  pdfPageLimit: number;
}

/** The defaults of the settings: native PDFs, 50 pages of text. */
export const DEFAULT_ATTACHMENT_SETTINGS: AttachmentSettings = { pdfEngine: 'native', pdfPageLimit: 50 };

/**
 * PDF.js behind `extractPdfText` / `countPdfPages` (src/core/attachments/extract-pdf-text.ts),
 * loaded on first use: it is 1.6 MB, so the extension keeps it in its own bundle.
 */
export interface PdfTextModule {
  extractPdfText(bytes: Uint8Array, options?: { pageLimit?: number; filename?: string }): Promise<PdfText>;
  countPdfPages(bytes: Uint8Array, filename?: string): Promise<number>;
}
