import { preparePdf } from '../attachments/prepare-pdf';
import type { CatalogEndpoint } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatModel } from '../spec/chat-model';
import type { ChatRequest, UserContentPart } from '../spec/chat-request';
import type { AttachmentSettings, PdfTextModule } from './attachment-settings';
import { isExtractablePdf } from './view-request-for-planning';

export interface PrepareAttachmentsOptions {
  /** The catalog endpoint the model serves; undefined when the catalog does not know it. */
  endpoint: CatalogEndpoint | undefined;
  settings: AttachmentSettings;
  /** PDF.js, loaded on the first PDF that must become text; undefined where it is not shipped. */
  loadPdfText: (() => Promise<PdfTextModule>) | undefined;
}

/**
 * The same model, with the request fitted to this one target before it is sent:
 * - each inline PDF goes as the file when the endpoint reads files and the PDF engine is
 *   `native`, else as its extracted text (`preparePdf`: a note names the pages read and left out);
 * - an image request asks for what the endpoint produces (`['image','text']` for models that answer
 *   with both, `['image']` for image-only models).
 * A PDF that cannot be read is an `invalid-request` error part, never a silent drop.
 */
export function withAttachmentsPrepared(model: ChatModel, options: PrepareAttachmentsOptions): ChatModel {
  return {
    provider: model.provider,
    modelId: model.modelId,
    stream(request, signal) {
      return (async function* () {
        let prepared: ChatRequest;
        try {
          prepared = await prepareRequest(request, options);
        } catch (error) {
          yield { type: 'error', error: PerpetuoError.from(error, { kind: 'invalid-request', provider: model.provider, modelId: model.modelId }) };
          return;
        }
        yield* model.stream(prepared, signal);
      })();
    },
  };
}

async function prepareRequest(request: ChatRequest, options: PrepareAttachmentsOptions): Promise<ChatRequest> {
  let out = request;
  const outputs = request.outputModalities;
  if (outputs?.includes('image') && options.endpoint !== undefined) {
    const produces = options.endpoint.outputModalities;
    out = { ...out, outputModalities: produces.includes('text') ? ['image', 'text'] : ['image'] };
  }
  if (!request.messages.some((message) => message.role === 'user' && message.content.some(isExtractablePdf))) {
    return out;
  }
  const endpointAcceptsFiles = options.endpoint?.inputModalities.includes('file') === true;
  const native = options.settings.pdfEngine === 'native' && endpointAcceptsFiles;
  let module: PdfTextModule | undefined;
  const extractText: Parameters<typeof preparePdf>[1]['extractText'] = async (bytes, extract) => {
    if (options.loadPdfText === undefined) {
      throw new PerpetuoError({
        kind: 'invalid-request',
        message: `${extract.filename ?? 'The PDF'} must go as text to this model, and PDF text extraction is not available here. Pick a model that reads PDFs.`,
        isRetryable: false,
      });
    }
    module ??= await options.loadPdfText();
    return module.extractPdfText(bytes, extract);
  };
  const messages = await Promise.all(
    out.messages.map(async (message) => {
      if (message.role !== 'user' || native) {
        return message;
      }
      const content = await Promise.all(
        message.content.map(
          async (part): Promise<UserContentPart> =>
            isExtractablePdf(part) ? asOwnParagraph(await preparePdf(part, { engine: options.settings.pdfEngine, pageLimit: options.settings.pdfPageLimit, endpointAcceptsFiles, extractText })) : part,
        ),
      );
      return { ...message, content };
    }),
  );
  return { ...out, messages };
}

/**
 * Extracted text between blank lines: adapters that send a text-only message as one string join
 * its parts as they are, and the document must not run on from the user's sentence.
 */
function asOwnParagraph(part: UserContentPart): UserContentPart {
  return part.type === 'text' ? { type: 'text', text: `\n\n${part.text}\n\n` } : part;
}
