import * as vscode from 'vscode';
import { describeAttachment, type MediaPart } from '../../core/attachments/describe-attachment';
import type { RouteOptions, RoutingEngine } from '../../core/engine/routed-call';
import { PerpetuoError } from '../../core/errors/perpetuo-error';
import type { ChatRequest } from '../../core/spec/chat-request';

/** What to send after the user decided, with the decision for the log. */
export interface AttachmentDecision {
  chat: ChatRequest;
  model: string;
  notes: string[];
  attachmentsDropped?: string;
}

const NOUNS: Readonly<Record<MediaPart['type'], string>> = { image: 'images', audio: 'audio', video: 'video', file: 'PDFs' };

/**
 * When the user forced one model (a Perpetuo model id in the chat model picker, not a route) and
 * it cannot read some attachments, ask before anything is sent: send without them, or let Perpetuo
 * pick a model that can. The choice goes to the decision log (`notes`, `attachmentsDropped`).
 * Returns undefined when the user dismissed the question (nothing is sent). Routes pick a capable
 * model themselves, so they are never asked about.
 */
export async function confirmUnreadableAttachments(engine: RoutingEngine, chat: ChatRequest, model: string, source: RouteOptions['source']): Promise<AttachmentDecision | undefined> {
  const unchanged: AttachmentDecision = { chat, model, notes: [] };
  const preview = engine.previewRoute?.bind(engine);
  const media = chat.messages.flatMap((message) => (message.role === 'user' ? message.content.filter((part): part is MediaPart => part.type !== 'text') : []));
  if (model.startsWith('perpetuo/') || media.length === 0 || preview === undefined || plans(preview, chat, model, source)) {
    return unchanged;
  }
  const without = (drop: ReadonlySet<MediaPart>): ChatRequest => ({
    ...chat,
    messages: chat.messages.map((message) => (message.role === 'user' ? { ...message, content: message.content.filter((part) => !drop.has(part as MediaPart)) } : message)),
  });
  if (!plans(preview, without(new Set(media)), model, source)) {
    // Something else keeps the model out (no key, budget policy): the route says what.
    return unchanged;
  }
  const unreadable = media.filter((part) => !plans(preview, without(new Set(media.filter((other) => other !== part))), model, source));
  const names = unreadable.map(describeAttachment).join(', ');
  const kinds = [...new Set(unreadable.map((part) => NOUNS[part.type]))].join(vscode.l10n.t(' or '));
  const sendWithout = vscode.l10n.t('Send without it');
  const letPick = vscode.l10n.t('Let Perpetuo pick a model');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} cannot read {1} ({2}).', model, kinds, names),
    { modal: true, detail: vscode.l10n.t('Send the question without the attachment, or let Perpetuo pick a model that can read it?') },
    sendWithout,
    letPick,
  );
  if (choice === sendWithout) {
    const dropped = `${names} (${model} cannot read ${kinds})`;
    const chatWithout = without(new Set(unreadable));
    const last = chatWithout.messages.at(-1);
    if (last?.role === 'user') {
      // The model is told, so that it does not answer as if it had seen the file.
      last.content.push({ type: 'text', text: `[Not attached: ${names} — this model cannot read ${kinds}.]` });
    }
    return { chat: chatWithout, model, notes: [`user chose to send without ${dropped}`], attachmentsDropped: dropped };
  }
  if (choice === letPick) {
    return { chat, model: 'perpetuo/auto', notes: [`user let Perpetuo pick a model: ${model} cannot read ${kinds} (${names})`] };
  }
  return undefined;
}

function plans(preview: NonNullable<RoutingEngine['previewRoute']>, chat: ChatRequest, model: string, source: RouteOptions['source']): boolean {
  try {
    preview(chat, { model, source });
    return true;
  } catch (error) {
    if (error instanceof PerpetuoError && error.kind === 'no-eligible-model') {
      return false;
    }
    // Another planning fault (bad policy file): not the attachments' doing; the route reports it.
    return true;
  }
}
