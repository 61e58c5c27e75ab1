/**
 * The only language the dashboard webview and the extension host share. Both sides import
 * these types; nothing else crosses the boundary.
 */
export type WebviewToHost = { type: 'ready' } | { type: 'open-settings'; query: string };

export type HostToWebview = { type: 'init'; version: string; theme: 'light' | 'dark' | 'high-contrast' };

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || (type === 'open-settings' && typeof (value as { query?: unknown }).query === 'string');
}
