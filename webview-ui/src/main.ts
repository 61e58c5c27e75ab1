import './main.css';
import type { HostToWebview, WebviewToHost } from '../../src/shared/webview-protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app');

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'init' && app) {
    document.body.dataset.theme = message.theme;
    app.innerHTML = '';
    const title = document.createElement('h1');
    title.textContent = 'Perpetuo';
    const version = document.createElement('p');
    version.className = 'muted';
    version.textContent = `version ${message.version}`;
    app.append(title, version);
  }
});

vscode.postMessage({ type: 'ready' });
