import type { UserContentPart } from '../spec/chat-request';

/** A media part of a user message. */
export type MediaPart = Exclude<UserContentPart, { type: 'text' }>;

/**
 * How a message names an attachment: its file name, else the last path segment of its URL
 * (never the query, where signed URLs keep their tokens), else its kind and type
 * ("an unnamed image (image/png)").
 */
export function describeAttachment(part: MediaPart): string {
  if (part.filename !== undefined && part.filename !== '') {
    return part.filename;
  }
  if (part.source.kind === 'url' && !/^\s*data:/i.test(part.source.url)) {
    try {
      const url = new URL(part.source.url);
      const last = url.pathname.split('/').filter(Boolean).pop();
      return last === undefined ? url.host : decodeURIComponent(last);
    } catch {
      // Not a URL we can read; fall through to the generic name.
    }
  }
  const noun = part.type === 'file' ? 'document' : part.type;
  return `an unnamed ${noun} (${part.mediaType})`;
}
