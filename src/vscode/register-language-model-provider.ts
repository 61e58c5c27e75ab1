import * as vscode from 'vscode';
import type { RoutableModel } from '../core/engine/routed-call';
import type { PerpetuoContext } from './perpetuo-context';
import { convertVscodeMessages } from './convert-vscode-messages';
import { ROUTE_MODELS } from './route-models';
import { toLanguageModelError } from './to-language-model-error';

export const VENDOR = 'perpetuo';

/** A context window we can promise for a route before we know which models the user can reach. */
const ROUTE_DEFAULT_INPUT_TOKENS = 128_000;
const ROUTE_DEFAULT_OUTPUT_TOKENS = 16_000;

/**
 * Perpetuo in VS Code's model picker: the routes, and each model the user's keys reach. Any
 * extension that asks for a model (Copilot Chat's picker, other agents) is served through the
 * same router, guardrails and ledger.
 */
export function registerLanguageModelProvider(ctx: PerpetuoContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.LanguageModelChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    async provideLanguageModelChatInformation() {
      const reachable = await ctx.routableModels();
      return [...routeInformation(reachable), ...reachable.filter((m) => m.kind === 'model').map(modelInformation)];
    },
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const engine = await ctx.engine().catch((error: unknown) => {
        throw toLanguageModelError(error);
      });
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const call = engine.route(convertVscodeMessages(messages, options), { model: model.id, source: { kind: 'model-picker' } }, controller.signal);
        for await (const part of call.stream) {
          switch (part.type) {
            case 'text-delta':
              progress.report(new vscode.LanguageModelTextPart(part.delta));
              break;
            case 'tool-call':
              progress.report(new vscode.LanguageModelToolCallPart(part.toolCallId, part.toolName, parseToolInput(part.input)));
              break;
            case 'file':
              progress.report(new vscode.LanguageModelDataPart(Buffer.from(part.data, 'base64'), part.mediaType));
              break;
            case 'error':
              if (part.error.kind !== 'cancelled') {
                throw toLanguageModelError(part.error);
              }
              return;
            case 'response-metadata':
            case 'reasoning-delta':
            case 'tool-call-start':
            case 'tool-call-delta':
            case 'provider-block':
            case 'citation':
            case 'finish':
              break;
            default: {
              const unreachable: never = part;
              throw new Error(`unhandled stream part ${JSON.stringify(unreachable)}`);
            }
          }
        }
      } finally {
        subscription.dispose();
      }
    },
    async provideTokenCount(model, text) {
      const content = typeof text === 'string' ? text : text.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
      return ctx.countTokens(model.id, content);
    },
  };
  ctx.extension.subscriptions.push(changed, vscode.lm.registerLanguageModelChatProvider(VENDOR, provider));
  ctx.extension.subscriptions.push(ctx.onDidChangeModels(() => changed.fire()));
  // Without Copilot the picker only learns third-party models once something resolves them
  // (REFERENCE.md §4): resolve ours once, in the background, so the picker is warm.
  void vscode.lm.selectChatModels({ vendor: VENDOR }).then(
    (models) => ctx.log.info(`model picker warmed with ${models.length} Perpetuo models`),
    (error: unknown) => ctx.log.warn(`model picker warm-up failed: ${String(error)}`),
  );
}

function routeInformation(reachable: RoutableModel[]): vscode.LanguageModelChatInformation[] {
  const models = reachable.filter((m) => m.kind === 'model');
  const maxInput = Math.max(0, ...models.map((m) => m.contextLength ?? 0)) || ROUTE_DEFAULT_INPUT_TOKENS;
  const maxOutput = Math.max(0, ...models.map((m) => m.maxOutputTokens ?? 0)) || ROUTE_DEFAULT_OUTPUT_TOKENS;
  return ROUTE_MODELS.map((route) => ({
    id: route.id,
    name: route.name,
    family: 'perpetuo-route',
    version: '1',
    // The picker shows `detail` beside the name and squeezes the name to fit: keep it one word.
    detail: 'Perpetuo route',
    tooltip: route.detail,
    maxInputTokens: maxInput,
    maxOutputTokens: maxOutput,
    capabilities: { imageInput: models.some((m) => m.imageInput), toolCalling: models.length === 0 || models.some((m) => m.toolCalling) },
  }));
}

function modelInformation(model: RoutableModel): vscode.LanguageModelChatInformation {
  return {
    id: model.id,
    name: `${model.name} (${model.providers.join(', ')})`,
    family: model.id.split('/')[0] ?? model.id,
    version: model.id,
    detail: model.providers.join(', '),
    maxInputTokens: model.contextLength ?? ROUTE_DEFAULT_INPUT_TOKENS,
    maxOutputTokens: model.maxOutputTokens ?? ROUTE_DEFAULT_OUTPUT_TOKENS,
    capabilities: { imageInput: model.imageInput, toolCalling: model.toolCalling },
  };
}

function parseToolInput(input: string): object {
  try {
    const value: unknown = JSON.parse(input || '{}');
    return typeof value === 'object' && value !== null ? value : { value };
  } catch {
    return { _raw: input };
  }
}
