import * as vscode from 'vscode';
import { PerpetuoError } from '../core/errors/perpetuo-error';

/**
 * The one mapping from our errors to what VS Code's model consumers understand. The message is
 * the user's next step, not a stack.
 */
export function toLanguageModelError(error: unknown): vscode.LanguageModelError {
  const perpetuo = PerpetuoError.from(error, { kind: 'server' });
  switch (perpetuo.kind) {
    case 'auth':
    case 'permission':
    case 'payment':
    case 'config':
      return vscode.LanguageModelError.NoPermissions(perpetuo.message);
    case 'budget':
    case 'policy':
    case 'content-filter':
      return vscode.LanguageModelError.Blocked(perpetuo.message);
    case 'not-found':
    case 'no-eligible-model':
      return vscode.LanguageModelError.NotFound(perpetuo.message);
    default:
      return new vscode.LanguageModelError(perpetuo.message);
  }
}
