import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createTokenCounter } from '../core/tokenizer/count-tokens';
import type { EncodingCounter, TokenizerEncoding } from '../core/tokenizer/tokenizer-encoding';
import type { PerpetuoContext } from './perpetuo-context';

/**
 * The extension's token count for a model id (a Perpetuo route or a catalog id): exact for OpenAI
 * models, estimated for the rest. The encodings are separate files next to the bundle
 * (`dist/tokenizer/<encoding>.js`, esbuild entries), required on the first count that needs one,
 * so `dist/extension.js` and activation stay small. A missing file is logged once and counting
 * falls back to the estimate, so a count never fails.
 */
export function createCountTokensForModel(ctx: Pick<PerpetuoContext, 'extension' | 'log'>): (modelId: string, text: string) => Promise<number> {
  // A require rooted at a runtime path: the bundler leaves it alone instead of inlining the ranks.
  const requireEncoding = createRequire(join(ctx.extension.extensionPath, 'dist', 'tokenizer', 'index.js'));
  const counter = createTokenCounter({
    loadEncoding: (encoding: TokenizerEncoding) => Promise.resolve().then(() => requireEncoding(`./${encoding}.js`) as EncodingCounter),
    onLoadError: (encoding, error) => ctx.log.warn(`tokenizer ${encoding} unavailable, estimating instead: ${String(error)}`),
  });
  return async (modelId, text) => (await counter.countTokensForModel(modelId, text)).tokens;
}
