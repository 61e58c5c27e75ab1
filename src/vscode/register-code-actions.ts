import * as vscode from 'vscode';
import type { CallSummary } from '../core/engine/routed-call';
import { PerpetuoError } from '../core/errors/perpetuo-error';
import type { ChatRequest } from '../core/spec/chat-request';
import type { PerpetuoContext } from './perpetuo-context';

/** The route code actions ask for unless the caller names another model. */
const DEFAULT_MODEL = 'perpetuo/auto';

/** Arguments of `perpetuo.codeAction.fix` / `.refactor`; the lightbulb passes the first three. */
export interface EditActionArguments {
  uri: vscode.Uri;
  range: vscode.Range;
  /** The diagnostic being fixed, if the action came from one. */
  diagnostic?: string;
  /** `perpetuo/auto` unless given. */
  model?: string;
  /**
   * Show the edit in the refactor preview before applying it (default true). Tests pass false,
   * since the preview waits for a click.
   */
  preview?: boolean;
}

/** What an edit action did, for tests and callers: never the prompt, only the outcome. */
export interface EditActionResult {
  applied: boolean;
  message: string;
  summary?: CallSummary;
}

const FIX_KIND = vscode.CodeActionKind.QuickFix.append('perpetuo');
const REFACTOR_KIND = vscode.CodeActionKind.RefactorRewrite.append('perpetuo');
const EXPLAIN_KIND = vscode.CodeActionKind.Empty.append('perpetuo').append('explain');
const TESTS_KIND = vscode.CodeActionKind.Empty.append('perpetuo').append('tests');

/**
 * Lightbulb actions on a selection or a diagnostic. Fix and Refactor ask the routed model for a
 * replacement of exactly the selected lines in one fenced code block, and apply only that range
 * through a WorkspaceEdit (shown in the refactor preview, undoable like any edit). Explain and
 * Add Tests hand the code to the `@perpetuo` chat participant (`/explain`, `/tests`), which
 * streams the answer with its model and cost; a long answer reads better there than in a
 * notification or a scratch document.
 */
export function registerCodeActions(ctx: PerpetuoContext): void {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, range, context) {
      const actions: vscode.CodeAction[] = [];
      for (const diagnostic of context.diagnostics) {
        const lines = wholeLines(document, diagnostic.range);
        const fix = new vscode.CodeAction(vscode.l10n.t('Fix with Perpetuo: {0}', truncate(diagnostic.message, 60)), FIX_KIND);
        fix.diagnostics = [diagnostic];
        fix.command = { title: fix.title, command: 'perpetuo.codeAction.fix', arguments: [{ uri: document.uri, range: lines, diagnostic: diagnostic.message } satisfies EditActionArguments] };
        actions.push(fix);
        const explain = new vscode.CodeAction(vscode.l10n.t('Explain with Perpetuo: {0}', truncate(diagnostic.message, 60)), EXPLAIN_KIND);
        explain.diagnostics = [diagnostic];
        explain.command = { title: explain.title, command: 'perpetuo.codeAction.explain', arguments: [document.uri, lines, diagnostic.message] };
        actions.push(explain);
      }
      if (!range.isEmpty) {
        const selection = wholeLines(document, range);
        const target = { uri: document.uri, range: selection } satisfies EditActionArguments;
        actions.push(
          commandAction(vscode.l10n.t('Explain with Perpetuo'), EXPLAIN_KIND, 'perpetuo.codeAction.explain', [document.uri, selection]),
          commandAction(vscode.l10n.t('Fix with Perpetuo'), FIX_KIND, 'perpetuo.codeAction.fix', [target]),
          commandAction(vscode.l10n.t('Refactor with Perpetuo'), REFACTOR_KIND, 'perpetuo.codeAction.refactor', [target]),
          commandAction(vscode.l10n.t('Add Tests with Perpetuo'), TESTS_KIND, 'perpetuo.codeAction.addTests', [document.uri, selection]),
        );
      }
      return actions;
    },
  };
  ctx.extension.subscriptions.push(
    vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], provider, {
      providedCodeActionKinds: [FIX_KIND, REFACTOR_KIND, EXPLAIN_KIND, TESTS_KIND],
    }),
    vscode.commands.registerCommand('perpetuo.codeAction.fix', (args: EditActionArguments) => runEditAction(ctx, 'fix', args)),
    vscode.commands.registerCommand('perpetuo.codeAction.refactor', (args: EditActionArguments) => runEditAction(ctx, 'refactor', args)),
    vscode.commands.registerCommand('perpetuo.codeAction.explain', (uri: vscode.Uri, range: vscode.Range, diagnostic?: string) =>
      askInChat('explain', uri, range, diagnostic),
    ),
    vscode.commands.registerCommand('perpetuo.codeAction.addTests', (uri: vscode.Uri, range: vscode.Range) => askInChat('tests', uri, range)),
  );
}

function commandAction(title: string, kind: vscode.CodeActionKind, command: string, args: unknown[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, kind);
  action.command = { title, command, arguments: args };
  return action;
}

/** Models rewrite whole lines far more reliably than a fragment of one. */
function wholeLines(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return new vscode.Range(range.start.line, 0, last, document.lineAt(last).text.length);
}

function truncate(text: string, length: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}

async function runEditAction(ctx: PerpetuoContext, action: 'fix' | 'refactor', args: EditActionArguments): Promise<EditActionResult> {
  const document = await vscode.workspace.openTextDocument(args.uri);
  const range = document.validateRange(args.range);
  const original = document.getText(range);
  const versionAsked = document.version;
  const controller = new AbortController();
  try {
    const engine = await ctx.engine();
    const title = action === 'fix' ? vscode.l10n.t('Perpetuo is fixing the selection…') : vscode.l10n.t('Perpetuo is refactoring the selection…');
    const { text, summary } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const call = engine.route(buildEditRequest(action, document, original, args.diagnostic), { model: args.model ?? DEFAULT_MODEL, source: { kind: 'code-action', detail: action } }, controller.signal);
        let answer = '';
        for await (const part of call.stream) {
          if (part.type === 'text-delta') {
            answer += part.delta;
          } else if (part.type === 'error') {
            throw part.error;
          }
        }
        return { text: answer, summary: await call.settled };
      } finally {
        subscription.dispose();
      }
    });
    const replacement = extractFencedCode(text);
    if (replacement === undefined) {
      return report(ctx, { applied: false, summary, message: vscode.l10n.t('{0} answered without a code block; nothing was changed.', describeServed(summary)) }, 'warning');
    }
    if (document.version !== versionAsked) {
      return report(ctx, { applied: false, summary, message: vscode.l10n.t('The file changed while the model was answering; nothing was changed.') }, 'warning');
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, matchTrailingNewline(original, replacement), {
      label: action === 'fix' ? vscode.l10n.t('Perpetuo fix') : vscode.l10n.t('Perpetuo refactor'),
      needsConfirmation: args.preview !== false,
      description: describeServed(summary),
    });
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: args.preview !== false });
    if (!applied) {
      return report(ctx, { applied: false, summary, message: vscode.l10n.t('The edit was not applied.') }, 'info');
    }
    const verb = action === 'fix' ? vscode.l10n.t('Fixed') : vscode.l10n.t('Refactored');
    return report(ctx, { applied: true, summary, message: `${verb} ${vscode.l10n.t('with {0}', describeServed(summary))}${formatCost(summary)}` }, 'info');
  } catch (error) {
    const failure = PerpetuoError.from(error, { kind: 'network' });
    ctx.log.warn(`code action ${action} failed: ${failure.message}`);
    return report(ctx, { applied: false, message: failure.message }, 'error');
  }
}

function report(ctx: PerpetuoContext, result: EditActionResult, level: 'info' | 'warning' | 'error'): EditActionResult {
  ctx.log.info(`code action: ${result.message}`);
  const show = level === 'info' ? vscode.window.showInformationMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(result.message);
  return result;
}

function describeServed(summary: CallSummary | undefined): string {
  const served = summary?.served;
  return served ? vscode.l10n.t('{0} via {1}', served.modelId, served.provider) : vscode.l10n.t('the model');
}

function formatCost(summary: CallSummary | undefined): string {
  if (summary?.costUsd === undefined) {
    return '';
  }
  return ` · $${summary.costUsd < 0.01 ? summary.costUsd.toFixed(4) : summary.costUsd.toFixed(2)}`;
}

function buildEditRequest(action: 'fix' | 'refactor', document: vscode.TextDocument, code: string, diagnostic: string | undefined): ChatRequest {
  const task =
    action === 'fix'
      ? diagnostic
        ? `Fix this problem reported in the code: ${diagnostic}`
        : 'Fix any bug in this code.'
      : 'Refactor this code for clarity without changing its behaviour.';
  return {
    messages: [
      {
        role: 'system',
        content:
          'You edit a range of a source file. Answer with exactly one fenced code block containing the full replacement for the given lines, ' +
          'keeping their indentation, and nothing after it. Do not repeat lines outside the range.',
      },
      {
        role: 'user',
        content: [{ type: 'text', text: `${task}\n\nFile: ${vscode.workspace.asRelativePath(document.uri)} (${document.languageId})\n\n\`\`\`${document.languageId}\n${code}\n\`\`\`` }],
      },
    ],
    temperature: 0,
  };
}

/**
 * The body of the first fenced code block (``` or ~~~, any info string); undefined when there is
 * none, so prose is never pasted into the file.
 */
function extractFencedCode(answer: string): string | undefined {
  const match = /^([ \t]*)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?^\1\2[ \t]*$/m.exec(answer);
  return match?.[3];
}

/** The selection's trailing newline (or its absence) is kept whatever the model did with it. */
function matchTrailingNewline(original: string, replacement: string): string {
  const trimmed = replacement.replace(/\n+$/, '');
  return original.endsWith('\n') ? `${trimmed}\n` : trimmed;
}

/**
 * Opens the Chat view with `@perpetuo /<command>` and the code as a fenced block: the participant
 * routes it, streams the answer and shows which model served it and at what cost.
 * `workbench.action.chat.open` with a `query` submits it (verified to run in code-server 1.139.1).
 */
async function askInChat(command: 'explain' | 'tests', uri: vscode.Uri, range: vscode.Range, diagnostic?: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const code = document.getText(document.validateRange(range));
  const where = `${vscode.workspace.asRelativePath(uri)}:${range.start.line + 1}-${range.end.line + 1}`;
  const about = diagnostic ? ` (${diagnostic})` : '';
  const query = `@perpetuo /${command} ${where}${about}\n\`\`\`${document.languageId}\n${code}\n\`\`\``;
  await vscode.commands.executeCommand('workbench.action.chat.open', { query });
}
