import { createHash } from 'node:crypto';

/**
 * The id a workspace's guardrails and budgets are kept under (`workspace:<id>` scope keys):
 * 16 hex digits of the SHA-256 of the folder's `file:` URI. The extension passes its first
 * workspace folder's URI; `perpetuo serve` the folder its policy file belongs to, so the two name
 * the same folder alike.
 */
export function workspaceIdOf(folderUri: string): string {
  return createHash('sha256').update(folderUri).digest('hex').slice(0, 16);
}
