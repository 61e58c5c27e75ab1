import { describeAttachment } from '../attachments/describe-attachment';
import type { ChatRequest, FilePart, UserContentPart } from '../spec/chat-request';

/**
 * The request as the planner should see it: every PDF whose text Perpetuo can extract (one sent
 * inline, as base64 or a `data:` URL) stands as a text part, so that models which cannot read files
 * are not rejected for the `file` modality — each target gets the file or its text later
 * (`withAttachmentsPrepared`). A PDF by https:// link stays a file: only a model that reads PDFs
 * can fetch it. Returns the request itself when there is nothing to change.
 */
export function viewRequestForPlanning(request: ChatRequest): ChatRequest {
  if (!request.messages.some((message) => message.role === 'user' && message.content.some(isExtractablePdf))) {
    return request;
  }
  return {
    ...request,
    messages: request.messages.map((message) =>
      message.role !== 'user'
        ? message
        : { ...message, content: message.content.map((part): UserContentPart => (isExtractablePdf(part) ? { type: 'text', text: placeholder(part) } : part)) },
    ),
  };
}

/** A PDF sent inline: its text can be extracted when the target model reads no files. */
export function isExtractablePdf(part: UserContentPart): part is FilePart {
  return (
    part.type === 'file' &&
    part.mediaType.toLowerCase() === 'application/pdf' &&
    (part.source.kind === 'base64' || /^\s*data:/i.test(part.source.url))
  );
}

/** The PDF's name in the planner's view; its size in tokens is not known until it is read. */
function placeholder(part: FilePart): string {
  return `[PDF ${describeAttachment(part)}]`;
}
