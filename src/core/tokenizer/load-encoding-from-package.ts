import type { EncodingCounter, TokenizerEncoding } from './tokenizer-encoding';

/**
 * Loads an encoding straight from the `gpt-tokenizer` package: for plain Node (unit tests,
 * benchmarks, the CLI). The VS Code extension must not import this file, or the bundler would
 * inline megabytes of ranks into `dist/extension.js`; it loads the separately built files instead.
 */
export async function loadEncodingFromPackage(encoding: TokenizerEncoding): Promise<EncodingCounter> {
  switch (encoding) {
    case 'o200k_base':
      return import('gpt-tokenizer/encoding/o200k_base');
    case 'cl100k_base':
      return import('gpt-tokenizer/encoding/cl100k_base');
    default: {
      const unreachable: never = encoding;
      throw new Error(`unknown encoding ${String(unreachable)}`);
    }
  }
}
