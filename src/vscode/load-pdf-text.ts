import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { AttachmentSettings, PdfTextModule } from '../core/engine/attachment-settings';
import { DEFAULT_ATTACHMENT_SETTINGS } from '../core/engine/attachment-settings';

/**
 * A loader for PDF text extraction: PDF.js (1.6 MB) lives in its own bundle beside the extension
 * (`dist/pdf-text.js`, an esbuild entry), required the first time a PDF must go to a model as
 * text, so `dist/extension.js` and activation stay small. The promise is kept: one load per window.
 */
export function createPdfTextLoader(extensionPath: string): () => Promise<PdfTextModule> {
  // A require rooted at a runtime path: the bundler leaves it alone instead of inlining PDF.js.
  const requireFromDist = createRequire(join(extensionPath, 'dist', 'extension.js'));
  let loaded: Promise<PdfTextModule> | undefined;
  return () => (loaded ??= Promise.resolve().then(() => requireFromDist('./pdf-text.js') as PdfTextModule));
}

/** `perpetuo.attachments.pdfEngine` and `perpetuo.attachments.pdfPageLimit`, read per request. */
export function readAttachmentSettings(configuration: vscode.WorkspaceConfiguration): AttachmentSettings {
  const engine = configuration.get<string>('attachments.pdfEngine', DEFAULT_ATTACHMENT_SETTINGS.pdfEngine);
  const limit = configuration.get<number>('attachments.pdfPageLimit', DEFAULT_ATTACHMENT_SETTINGS.pdfPageLimit);
  return {
    pdfEngine: engine === 'text' ? 'text' : 'native',
    pdfPageLimit: Number.isInteger(limit) && limit >= 1 ? limit : DEFAULT_ATTACHMENT_SETTINGS.pdfPageLimit,
  };
}
