import * as vscode from 'vscode';
import type { RoutingEngine } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import type { ChatMessage, ChatRequest, UserContentPart } from '../core/spec/chat-request';
import { type AttachmentDecision, confirmUnreadableAttachments } from './chat/confirm-unreadable-attachments';
import { convertChatReferences } from './chat/convert-chat-references';
import { generateImage } from './chat/generate-image';
import { saveGeneratedImage } from './chat/save-generated-image';
import { formatCost, formatDecisionFooter } from './chat/format-decision-footer';
import type { PerpetuoContext } from './perpetuo-context';

export const PARTICIPANT_ID = 'perpetuo.router';

/** Instructions per slash command; the user's prompt and references follow. */
const COMMAND_INSTRUCTIONS: Record<string, string> = {
  explain: 'Explain the code or question below clearly and concisely: what it does, how, and anything surprising.',
  fix: 'Find the bug or problem in the code below and propose a fix. Show the corrected code in one fenced code block, then explain the change briefly.',
  tests: 'Write focused unit tests for the code below, in the project’s language and test style. Put the tests in one fenced code block.',
};

/** The model the participant asks for: the Perpetuo model picked in the chat model picker, else auto. */
function requestedModel(request: vscode.ChatRequest): string {
  const picked = request.model;
  return picked?.vendor === 'perpetuo' ? picked.id : vscode.workspace.getConfiguration('perpetuo').get<string>('chat.model', 'perpetuo/auto');
}

/** `@perpetuo`: routes the prompt with its history and references and streams the answer. */
export function registerChatParticipant(ctx: PerpetuoContext): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, chatContext, response, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const engine = await ctx.engine();
      switch (request.command) {
        case 'models':
          return showModels(engine, response);
        case 'budget':
          return await showBudget(ctx, response);
        case 'compare':
          return await compare(engine, await buildRequest(request, chatContext), request, response, controller.signal);
        case 'image':
          return await generateImage(engine, imageModel(request), request.prompt, response, controller.signal);
        default: {
          const chat = await buildRequest(request, chatContext);
          const decision = await confirmUnreadableAttachments(engine, chat, requestedModel(request), { kind: 'chat', detail: request.command });
          if (decision === undefined) {
            response.markdown(vscode.l10n.t('Not sent: the attachment stays, and the model cannot read it.'));
            return { metadata: { command: request.command, outcome: 'not-sent' } };
          }
          return await answer(engine, decision, request, response, controller.signal);
        }
      }
    } catch (error) {
      const perpetuo = PerpetuoError.from(error, { kind: 'server' });
      if (perpetuo.kind === 'cancelled') {
        return {};
      }
      // The message goes in errorDetails only: VS Code shows it in the reply's error box, and
      // writing it as markdown too showed it twice.
      if (perpetuo.kind === 'config' || perpetuo.kind === 'auth') {
        response.button({ command: 'perpetuo.manageKeys', title: vscode.l10n.t('Manage Provider Keys') });
      }
      return { errorDetails: { message: perpetuo.message }, metadata: { errorKind: perpetuo.kind } };
    } finally {
      subscription.dispose();
    }
  });
  participant.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'perpetuo.png');
  participant.followupProvider = {
    provideFollowups(result) {
      const metadata = result.metadata as { decisionId?: string; prompt?: string } | undefined;
      // Nothing to go deeper into or compare when no model answered.
      if (!metadata?.decisionId || result.errorDetails) {
        return [];
      }
      const followups: vscode.ChatFollowup[] = [{ prompt: 'Explain that in more detail', label: vscode.l10n.t('Go deeper') }];
      // Comparing needs the question itself; "the same question" alone would be all the models got.
      if (metadata.prompt?.trim()) {
        followups.push({ prompt: metadata.prompt, command: 'compare', label: vscode.l10n.t('Compare models on this') });
      }
      return followups;
    },
  };
  ctx.extension.subscriptions.push(participant);
  return participant;
}

async function buildRequest(request: vscode.ChatRequest, chatContext: vscode.ChatContext): Promise<ChatRequest> {
  const instruction = request.command ? COMMAND_INSTRUCTIONS[request.command] : undefined;
  const content: UserContentPart[] = [];
  if (instruction) {
    content.push({ type: 'text', text: instruction });
  }
  content.push(...(await convertChatReferences(request.references)));
  content.push({ type: 'text', text: request.prompt || '(no further question)' });
  return { messages: [...historyMessages(chatContext), { role: 'user', content }] };
}

/** For `/image`: a Perpetuo model picked in the chat model picker, else the cheapest model that draws. */
function imageModel(request: vscode.ChatRequest): string {
  const picked = request.model;
  return picked?.vendor === 'perpetuo' && !picked.id.startsWith('perpetuo/') ? picked.id : 'perpetuo/cheapest';
}

async function answer(engine: RoutingEngine, decision: AttachmentDecision, request: vscode.ChatRequest, response: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
  const call = engine.route(
    decision.chat,
    {
      model: decision.model,
      source: { kind: 'chat', detail: request.command },
      notes: decision.notes,
      ...(decision.attachmentsDropped === undefined ? {} : { attribution: { attachmentsDropped: decision.attachmentsDropped } }),
    },
    signal,
  );
  let failure: PerpetuoError | undefined;
  let images = 0;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  for await (const part of call.stream) {
    if (part.type === 'text-delta') {
      response.markdown(part.delta);
    } else if (part.type === 'file') {
      // A model that answers with a picture: keep it rather than lose it.
      if (root === undefined) {
        response.markdown(`\n\n${vscode.l10n.t('The model returned an image ({0}); open a folder to have Perpetuo save it.', part.mediaType)}\n`);
      } else {
        const uri = await saveGeneratedImage(root, part, request.prompt, images++, new Date());
        response.markdown(`\n\n${vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(uri))}\n`);
        response.anchor(uri);
      }
    } else if (part.type === 'error') {
      failure = part.error;
    }
  }
  const summary = await call.settled;
  response.markdown(`\n\n---\n${formatDecisionFooter(summary)}`);
  response.button({ command: 'perpetuo.openDashboard', arguments: [{ decisionId: call.id }], title: vscode.l10n.t('Why this model?') });
  return {
    // The prompt rides along for the "Compare models on this" follow-up: VS Code hands
    // provideFollowups the history before this request, not the request itself.
    metadata: { decisionId: call.id, served: summary.served?.modelId, costUsd: summary.costUsd, outcome: summary.outcome, prompt: request.prompt },
    ...(failure && failure.kind !== 'cancelled' ? { errorDetails: { message: failure.message } } : {}),
  };
}

/** `/models`: what the user can reach, and why the rest of the catalog is out of reach. */
function showModels(engine: RoutingEngine, response: vscode.ChatResponseStream): vscode.ChatResult {
  const models = engine.listModels().filter((m) => m.kind === 'model');
  response.markdown(`**${models.length} models reachable with your keys**\n\n`);
  response.markdown(models.map((m) => `- \`${m.id}\` — ${m.providers.join(', ')}${m.contextLength ? ` · ${Math.round(m.contextLength / 1000)}k context` : ''}`).join('\n'));
  const preview = safePreview(engine, { messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] }, 'perpetuo/cheapest');
  if (preview) {
    const byReason = new Map<string, number>();
    for (const rejected of preview.rejected) {
      byReason.set(rejected.reason, (byReason.get(rejected.reason) ?? 0) + 1);
    }
    if (byReason.size) {
      response.markdown(`\n\n**Out of reach:** ${[...byReason].map(([reason, count]) => `${count} × ${reason}`).join(', ')}`);
    }
  }
  return { metadata: { command: 'models', count: models.length } };
}

/** `/budget`: spend today / this week / this month against the budgets in settings. */
async function showBudget(ctx: PerpetuoContext, response: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
  const ledger = ctx.services().ledger;
  ledger.refresh();
  const now = new Date();
  const dayStart = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const weekStart = dayStart - ((now.getDay() + 6) % 7) * 86_400_000;
  const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).getTime();
  const spent = (from: number) => ledger.aggregate('day', from).reduce((sum, row) => sum + row.chargedUsd, 0);
  const settings = vscode.workspace.getConfiguration('perpetuo.guardrails');
  const rows: Array<[string, number, number | null]> = [
    ['Today', spent(dayStart), settings.get<number | null>('dailyBudgetUsd', null)],
    ['This week', spent(weekStart), settings.get<number | null>('weeklyBudgetUsd', null)],
    ['This month', spent(monthStart), settings.get<number | null>('monthlyBudgetUsd', null)],
  ];
  response.markdown('| period | spent | budget |\n|---|---|---|\n');
  response.markdown(rows.map(([label, usd, budget]) => `| ${label} | ${formatCost(usd)} | ${budget ? `${formatCost(budget)} (${Math.round((usd / budget) * 100)} %)` : 'none'} |`).join('\n'));
  response.button({ command: 'workbench.action.openSettings', arguments: ['perpetuo.guardrails'], title: vscode.l10n.t('Edit budgets') });
  return { metadata: { command: 'budget' } };
}

/** `/compare`: the same prompt to 2–4 models side by side, each with its cost and latency. */
async function compare(engine: RoutingEngine, chat: ChatRequest, request: vscode.ChatRequest, response: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
  const named = request.prompt.match(/(?:^|\s)([a-z0-9-]+\/[a-z0-9.:-]+)/gi)?.map((m) => m.trim()) ?? [];
  const candidates = named.length >= 2 ? named.slice(0, 4) : pickDistinctModels(engine, chat);
  if (candidates.length < 2) {
    response.markdown(vscode.l10n.t('Comparing needs at least two models you can reach; name them (`/compare openai/gpt-4o anthropic/claude-sonnet-4 …`) or add another key.'));
    return { metadata: { command: 'compare' } };
  }
  response.progress(vscode.l10n.t('Asking {0} models…', candidates.length));
  const results = await Promise.all(
    candidates.map(async (model) => {
      const call = engine.route(chat, { model, source: { kind: 'chat', detail: 'compare' } }, signal);
      let text = '';
      let error: string | undefined;
      for await (const part of call.stream) {
        if (part.type === 'text-delta') {
          text += part.delta;
        } else if (part.type === 'error') {
          error = part.error.message;
        }
      }
      return { model, text, error, summary: await call.settled, id: call.id };
    }),
  );
  for (const result of results) {
    response.markdown(`\n\n### ${result.model}\n\n${result.error ? `_${result.error}_` : result.text}\n\n_${formatDecisionFooter(result.summary)}_\n`);
  }
  return { metadata: { command: 'compare', decisionIds: results.map((r) => r.id) } };
}

function pickDistinctModels(engine: RoutingEngine, chat: ChatRequest): string[] {
  const seen = new Set<string>();
  for (const route of ['perpetuo/auto', 'perpetuo/cheapest', 'perpetuo/fastest']) {
    for (const target of safePreview(engine, chat, route)?.targets ?? []) {
      seen.add(target.modelId);
    }
  }
  return [...seen].slice(0, 3);
}

function safePreview(engine: RoutingEngine, chat: ChatRequest, model: string) {
  try {
    return engine.previewRoute?.(chat, { model, source: { kind: 'chat' } });
  } catch {
    return undefined;
  }
}

function historyMessages(chatContext: vscode.ChatContext): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of chatContext.history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      messages.push({ role: 'user', content: [{ type: 'text', text: turn.prompt }] });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      // The footer is ours, not the model's: keep it out of the history we send back.
      const text = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
        .join('')
        .split('\n\n---\n')[0];
      if (text) {
        messages.push({ role: 'assistant', content: [{ type: 'text', text }] });
      }
    }
  }
  return messages;
}
