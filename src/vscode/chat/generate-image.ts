import * as vscode from 'vscode';
import type { RoutingEngine } from '../../core/engine/routed-call';
import type { PerpetuoError } from '../../core/errors/perpetuo-error';
import { formatDecisionFooter } from './format-decision-footer';
import { parseImagePrompt, saveGeneratedImage } from './save-generated-image';

/**
 * `@perpetuo /image <prompt> [--aspect 16:9]`: routes to a model that produces images (through
 * OpenRouter, Gemini or OpenAI's Images API, each told the aspect ratio its own way), saves each
 * image under `perpetuo-images/` in the workspace, shows its path, opens it, and ends with the
 * usual footer (the cost is in the decision log like any request).
 */
export async function generateImage(engine: RoutingEngine, model: string, rawPrompt: string, response: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
  const { prompt, aspectRatio } = parseImagePrompt(rawPrompt);
  if (prompt === '') {
    response.markdown(vscode.l10n.t('Describe the image to generate, e.g. `/image a lighthouse at dusk --aspect 16:9`.'));
    return { metadata: { command: 'image' } };
  }
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (root === undefined) {
    response.markdown(vscode.l10n.t('Open a folder first: generated images are saved in the workspace, under perpetuo-images/.'));
    return { metadata: { command: 'image' } };
  }
  response.progress(vscode.l10n.t('Generating…'));
  const call = engine.route(
    {
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      outputModalities: ['image'],
      ...(aspectRatio === undefined ? {} : { imageOptions: { aspectRatio } }),
    },
    { model, source: { kind: 'chat', detail: 'image' } },
    signal,
  );
  const saved: vscode.Uri[] = [];
  let failure: PerpetuoError | undefined;
  const now = new Date();
  for await (const part of call.stream) {
    if (part.type === 'text-delta') {
      response.markdown(part.delta);
    } else if (part.type === 'file' && part.mediaType.startsWith('image/')) {
      const uri = await saveGeneratedImage(root, part, prompt, saved.length, now);
      saved.push(uri);
      response.markdown(`\n\n${vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(uri))}\n`);
      response.anchor(uri);
    } else if (part.type === 'error') {
      failure = part.error;
    }
  }
  const summary = await call.settled;
  if (failure && failure.kind !== 'cancelled') {
    response.markdown(`\n\n${failure.message}`);
  } else if (saved.length === 0 && !signal.aborted) {
    response.markdown(`\n\n${vscode.l10n.t('The model answered without an image.')}`);
  }
  for (const uri of saved) {
    await vscode.commands.executeCommand('vscode.open', uri, { preview: false, preserveFocus: true });
  }
  response.markdown(`\n\n---\n${formatDecisionFooter(summary)}`);
  response.button({ command: 'perpetuo.openDashboard', arguments: [{ decisionId: call.id }], title: vscode.l10n.t('Why this model?') });
  return { metadata: { command: 'image', decisionId: call.id, saved: saved.map((uri) => uri.toString()), costUsd: summary.costUsd, outcome: summary.outcome } };
}
