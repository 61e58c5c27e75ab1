import type { CatalogEndpoint } from '../catalog/catalog-model';
import { PerpetuoError } from '../errors/perpetuo-error';
import type { ChatModel } from '../spec/chat-model';
import type { ChatRequest } from '../spec/chat-request';
import type { AttachmentSettings } from './attachment-settings';
import { type PdfTextCache, withPdfsAsText } from './pdf-text-cache';
import { isExtractablePdf } from './view-request-for-planning';

export interface PrepareAttachmentsOptions {
  /** The catalog endpoint the model serves; undefined when the catalog does not know it. */
  endpoint: CatalogEndpoint | undefined;
  settings: AttachmentSettings;
  /** The request's PDFs as text, extracted once for every target that gets the text. */
  pdfText: PdfTextCache;
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
      if (!needsPreparation(request, options)) {
        // Most requests: the model's own stream, not one more generator relaying each of its parts.
        return model.stream(request, signal);
      }
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

/** Whether `prepareRequest` would change anything: an image answer asked of a known endpoint, or an inline PDF. */
function needsPreparation(request: ChatRequest, options: PrepareAttachmentsOptions): boolean {
  return (request.outputModalities?.includes('image') === true && options.endpoint !== undefined) || hasExtractablePdf(request);
}

function hasExtractablePdf(request: ChatRequest): boolean {
  return request.messages.some((message) => message.role === 'user' && message.content.some(isExtractablePdf));
}

async function prepareRequest(request: ChatRequest, options: PrepareAttachmentsOptions): Promise<ChatRequest> {
  let out = request;
  const outputs = request.outputModalities;
  if (outputs?.includes('image') && options.endpoint !== undefined) {
    const produces = options.endpoint.outputModalities;
    out = { ...out, outputModalities: produces.includes('text') ? ['image', 'text'] : ['image'] };
  }
  if (!hasExtractablePdf(request)) {
    return out;
  }
  const endpointAcceptsFiles = options.endpoint?.inputModalities.includes('file') === true;
  return options.settings.pdfEngine === 'native' && endpointAcceptsFiles ? out : withPdfsAsText(out, options.pdfText);
}
