#!/usr/bin/env node
// The `perpetuo` command: a CommonJS launcher for the bundle esbuild builds from src/server/cli.ts.
'use strict';

let cli;
try {
  cli = require('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('perpetuo: dist/cli.js is missing; run `npm run build` first.\n');
    process.exit(1);
  }
  throw error;
}

cli.main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`perpetuo: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
