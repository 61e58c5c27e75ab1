import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PdfTextModule } from '../core/engine/attachment-settings';

/**
 * PDF text extraction for `perpetuo serve`, loaded the first time a PDF must go to a model as
 * text, as the extension does (src/vscode/load-pdf-text.ts): PDF.js (1.6 MB) is its own bundle,
 * `dist/pdf-text.js`, beside `dist/cli.js`, so serving text requests never parses it. Run from
 * source (tests, `tsx src/server/cli.ts`), there is no bundle: the core module itself is loaded.
 * The promise is kept: one load per process.
 */
export function createPdfTextLoader(directory: string = __dirname): () => Promise<PdfTextModule> {
  // A require rooted at a runtime path: esbuild leaves it alone instead of inlining PDF.js into cli.js.
  const requireBeside = createRequire(join(directory, 'cli.js'));
  let loaded: Promise<PdfTextModule> | undefined;
  return () =>
    (loaded ??= Promise.resolve().then(() => {
      try {
        return requireBeside('./pdf-text.js') as PdfTextModule;
      } catch (error) {
        if (!isMissing(error, 'pdf-text.js')) throw error;
      }
      try {
        return requireBeside('../core/attachments/extract-pdf-text') as PdfTextModule;
      } catch (error) {
        if (!isMissing(error, 'extract-pdf-text')) throw error;
        throw new Error(`PDF text extraction is missing: ${join(directory, 'pdf-text.js')} was not found; run \`npm run build\`.`);
      }
    }));
}

/** The module itself is absent — not one that it requires (that fault must surface as it is). */
function isMissing(error: unknown, name: string): boolean {
  return (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(name);
}
