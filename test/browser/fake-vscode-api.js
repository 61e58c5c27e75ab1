// The webview's view of VS Code in the browser tests: acquireVsCodeApi() posting to the test's
// fake host (a Playwright binding), and every CSP violation reported to the test.
(() => {
  let state;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage: (message) => void window.__perpetuoHostReceive(message),
      getState: () => state,
      setState: (next) => {
        state = next;
      },
    };
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    void window.__perpetuoViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
  });
})();
