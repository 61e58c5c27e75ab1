// Loaded by the extension host (extensionTestsPath). VS Code calls run(); a rejection is exit 1.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // PERPETUO_VSCODE_TESTS=endpoint,keys runs only the files whose names contain one of the words
  // (pass it with `run-vscode-tests.mjs --env PERPETUO_VSCODE_TESTS=…`).
  const only = (process.env.PERPETUO_VSCODE_TESTS ?? '').split(',').filter((word) => word !== '');
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (only.length === 0 || only.some((word) => f.includes(word))));
  for (const file of files.sort()) {
    mocha.addFile(resolve(__dirname, file));
  }
  return new Promise((resolvePromise, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolvePromise()));
  });
}
