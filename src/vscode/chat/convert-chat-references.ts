import * as vscode from 'vscode';
import { classifyMediaType } from '../../core/attachments/classify-media-type';
import { createAttachmentPart } from '../../core/attachments/create-attachment-part';
import { detectMediaType } from '../../core/attachments/detect-media-type';
import { PerpetuoError } from '../../core/errors/perpetuo-error';
import type { UserContentPart } from '../../core/spec/chat-request';

/** The most text one reference may add; beyond it the file is cut and the model is told so. */
const MAX_TEXT_CHARS = 200_000;

/**
 * Chat references (`#file`, a selection, a pasted or dragged image) → content parts. A file whose
 * bytes (magic numbers first, extension second) say image, PDF, audio or video becomes a media part
 * that the router sends only to models that can read it; any other file is text with its path.
 *
 * Nothing is dropped silently: an attachment that is empty, too large or of a type no provider
 * reads throws an `invalid-request` PerpetuoError naming the file (the participant shows it and
 * sends nothing); a binary file of unknown type is refused the same way rather than sent as
 * garbage text. A reference that cannot be read at all becomes a note the model sees.
 */
export async function convertChatReferences(references: readonly vscode.ChatPromptReference[]): Promise<UserContentPart[]> {
  const parts: UserContentPart[] = [];
  for (const reference of references) {
    const value = reference.value;
    try {
      if (value instanceof vscode.Uri) {
        parts.push(await convertFileUri(value));
      } else if (value instanceof vscode.Location) {
        const document = await vscode.workspace.openTextDocument(value.uri);
        const text = document.getText(value.range);
        parts.push({ type: 'text', text: fenced(`${vscode.workspace.asRelativePath(value.uri)}:${value.range.start.line + 1}-${value.range.end.line + 1}`, text, document.languageId) });
      } else if (isBinaryData(value)) {
        const bytes = await value.data();
        const filename = value.reference ? vscode.workspace.asRelativePath(value.reference) : `pasted ${value.mimeType || 'image'}`;
        parts.push(createAttachmentPart({ filename, bytes, mediaType: value.mimeType }));
      } else if (typeof value === 'string') {
        parts.push({ type: 'text', text: reference.modelDescription ? `${reference.modelDescription}:\n${value}` : value });
      }
    } catch (error) {
      if (error instanceof PerpetuoError) {
        throw error;
      }
      parts.push({ type: 'text', text: `[The reference ${reference.id} could not be read: ${error instanceof Error ? error.message : String(error)}]` });
    }
  }
  return parts;
}

/** One workspace file as the part that carries it: media by its bytes, else text. */
export async function convertFileUri(uri: vscode.Uri): Promise<UserContentPart> {
  const name = vscode.workspace.asRelativePath(uri);
  const bytes = await vscode.workspace.fs.readFile(uri);
  const mediaType = detectMediaType(name, bytes);
  if (mediaType !== undefined && classifyMediaType(mediaType) !== undefined) {
    return createAttachmentPart({ filename: name, bytes });
  }
  if (looksBinary(bytes)) {
    throw new PerpetuoError({
      kind: 'invalid-request',
      isRetryable: false,
      message: vscode.l10n.t(
        'Cannot attach {0}: it is a binary file{1}, not text, and not an image, PDF, audio or video file a model can read.',
        name,
        mediaType === undefined ? '' : ` (${mediaType})`,
      ),
    });
  }
  const extension = uri.path.split('.').pop()?.toLowerCase() ?? '';
  let text = Buffer.from(bytes).toString('utf8');
  if (text.length > MAX_TEXT_CHARS) {
    text = `${text.slice(0, MAX_TEXT_CHARS)}\n[… ${name} cut at ${MAX_TEXT_CHARS} of ${text.length} characters]`;
  }
  return { type: 'text', text: fenced(name, text, extension) };
}

/** A NUL byte in the first 8 KiB: what git and most editors take to mean "not text". */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

function fenced(label: string, text: string, language: string): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${label}\n${fence}${language}\n${text}\n${fence}`;
}

/** `ChatReferenceBinaryData` exists at runtime in 1.139 but only in the proposed typings (REFERENCE.md §4). */
function isBinaryData(value: unknown): value is { mimeType: string; data(): Thenable<Uint8Array>; reference?: vscode.Uri } {
  return typeof (value as { data?: unknown })?.data === 'function' && typeof (value as { mimeType?: unknown })?.mimeType === 'string';
}
