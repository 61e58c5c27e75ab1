// Loaded by the extension host (extensionTestsPath). VS Code calls run(); a rejection is exit 1.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(resolve(__dirname, file));
  }
  return new Promise((resolvePromise, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed`)) : resolvePromise()));
  });
}
