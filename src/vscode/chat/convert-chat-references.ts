import * as vscode from 'vscode';
import type { UserContentPart } from '../../core/spec/chat-request';

/** The most text one reference may add; beyond it the file is cut and the model is told so. */
const MAX_TEXT_CHARS = 200_000;

const BINARY_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
};

/**
 * Chat references (`#file`, a selection, a pasted or dragged image) → content parts. Text files
 * become text with their path; images, PDFs, audio and video become media parts that the router
 * sends only to models that can read them. Nothing is dropped silently: a reference that cannot
 * be read becomes a note saying so.
 */
export async function convertChatReferences(references: readonly vscode.ChatPromptReference[]): Promise<UserContentPart[]> {
  const parts: UserContentPart[] = [];
  for (const reference of references) {
    const value = reference.value;
    try {
      if (value instanceof vscode.Uri) {
        parts.push(await fromUri(value));
      } else if (value instanceof vscode.Location) {
        const document = await vscode.workspace.openTextDocument(value.uri);
        const text = document.getText(value.range);
        parts.push({ type: 'text', text: fenced(`${vscode.workspace.asRelativePath(value.uri)}:${value.range.start.line + 1}-${value.range.end.line + 1}`, text, document.languageId) });
      } else if (isBinaryData(value)) {
        const bytes = await value.data();
        const mediaType = value.mimeType || 'image/png';
        const name = value.reference ? vscode.workspace.asRelativePath(value.reference) : `pasted.${mediaType.split('/')[1] ?? 'bin'}`;
        parts.push(mediaPart(mediaType, Buffer.from(bytes).toString('base64'), name));
      } else if (typeof value === 'string') {
        parts.push({ type: 'text', text: reference.modelDescription ? `${reference.modelDescription}:\n${value}` : value });
      }
    } catch (error) {
      parts.push({ type: 'text', text: `[The reference ${reference.id} could not be read: ${error instanceof Error ? error.message : String(error)}]` });
    }
  }
  return parts;
}

async function fromUri(uri: vscode.Uri): Promise<UserContentPart> {
  const name = vscode.workspace.asRelativePath(uri);
  const extension = uri.path.split('.').pop()?.toLowerCase() ?? '';
  const binaryType = BINARY_TYPES[extension];
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (binaryType) {
    return mediaPart(binaryType, Buffer.from(bytes).toString('base64'), name);
  }
  let text = Buffer.from(bytes).toString('utf8');
  if (text.length > MAX_TEXT_CHARS) {
    text = `${text.slice(0, MAX_TEXT_CHARS)}\n[… ${name} cut at ${MAX_TEXT_CHARS} of ${text.length} characters]`;
  }
  return { type: 'text', text: fenced(name, text, extension) };
}

function mediaPart(mediaType: string, data: string, filename: string): UserContentPart {
  const source = { kind: 'base64' as const, data };
  if (mediaType.startsWith('image/')) {
    return { type: 'image', source, mediaType, filename };
  }
  if (mediaType.startsWith('audio/')) {
    return { type: 'audio', source, mediaType, filename };
  }
  if (mediaType.startsWith('video/')) {
    return { type: 'video', source, mediaType, filename };
  }
  return { type: 'file', source, mediaType, filename };
}

function fenced(label: string, text: string, language: string): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${label}\n${fence}${language}\n${text}\n${fence}`;
}

/** `ChatReferenceBinaryData` exists at runtime in 1.139 but only in the proposed typings (REFERENCE.md §4). */
function isBinaryData(value: unknown): value is { mimeType: string; data(): Thenable<Uint8Array>; reference?: vscode.Uri } {
  return typeof (value as { data?: unknown })?.data === 'function' && typeof (value as { mimeType?: unknown })?.mimeType === 'string';
}
