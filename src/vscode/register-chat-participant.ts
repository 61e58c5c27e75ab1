import * as vscode from 'vscode';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import type { ChatMessage } from '../core/spec/chat-request';
import type { PerpetuoContext } from './perpetuo-context';

export const PARTICIPANT_ID = 'perpetuo.router';

/** `@perpetuo`: routes the prompt through the user's keys and streams the answer. */
export function registerChatParticipant(ctx: PerpetuoContext): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, chatContext, response, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const engine = await ctx.engine();
      const call = engine.route({ messages: [...historyMessages(chatContext), { role: 'user', content: [{ type: 'text', text: request.prompt }] }] }, { model: 'perpetuo/auto', source: { kind: 'chat', detail: request.command } }, controller.signal);
      for await (const part of call.stream) {
        if (part.type === 'text-delta') {
          response.markdown(part.delta);
        } else if (part.type === 'error') {
          throw part.error;
        }
      }
      return { metadata: { decisionId: call.id } };
    } catch (error) {
      const perpetuo = PerpetuoError.from(error, { kind: 'server' });
      if (perpetuo.kind === 'cancelled') {
        return {};
      }
      response.markdown(perpetuo.message);
      if (perpetuo.kind === 'config' || perpetuo.kind === 'auth') {
        response.button({ command: 'perpetuo.manageKeys', title: vscode.l10n.t('Manage Provider Keys') });
      }
      return { errorDetails: { message: perpetuo.message }, metadata: { errorKind: perpetuo.kind } };
    } finally {
      subscription.dispose();
    }
  });
  participant.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'perpetuo.png');
  ctx.extension.subscriptions.push(participant);
  return participant;
}

function historyMessages(chatContext: vscode.ChatContext): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of chatContext.history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      messages.push({ role: 'user', content: [{ type: 'text', text: turn.prompt }] });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
        .join('');
      if (text) {
        messages.push({ role: 'assistant', content: [{ type: 'text', text }] });
      }
    }
  }
  return messages;
}
