import { estimateTokensByScript } from './estimate-tokens-by-script';
import { selectTokenizer } from './select-tokenizer';
import type { EncodingCounter, LoadEncoding, TokenCount, TokenizerEncoding } from './tokenizer-encoding';

/** Counts tokens per model, loading each real encoding once, on first use. */
export interface TokenCounter {
  /**
   * The count for `modelId`'s tokenizer: exact for OpenAI models (o200k_base / cl100k_base), an
   * estimate otherwise. If an encoding cannot be loaded the count falls back to the estimate
   * (the failure is reported once through `onLoadError`), so counting never fails.
   */
  countTokensForModel(modelId: string, text: string): Promise<TokenCount>;
}

export interface TokenCounterOptions {
  loadEncoding: LoadEncoding;
  /** Told once per encoding that failed to load (a missing bundle file, say). */
  onLoadError?: (encoding: TokenizerEncoding, error: unknown) => void;
}

export function createTokenCounter(options: TokenCounterOptions): TokenCounter {
  // One promise per encoding, shared by concurrent callers; a failed load stays failed rather
  // than re-reading megabytes on every count.
  const loaded = new Map<TokenizerEncoding, Promise<EncodingCounter | undefined>>();
  const load = (encoding: TokenizerEncoding) => {
    let pending = loaded.get(encoding);
    if (!pending) {
      pending = options.loadEncoding(encoding).then(
        (counter) => counter,
        (error: unknown) => {
          options.onLoadError?.(encoding, error);
          return undefined;
        },
      );
      loaded.set(encoding, pending);
    }
    return pending;
  };
  return {
    async countTokensForModel(modelId, text) {
      const choice = selectTokenizer(modelId);
      if (choice.kind === 'exact') {
        const counter = await load(choice.encoding);
        if (counter) {
          return { tokens: counter.countTokens(text), method: 'exact', encoding: choice.encoding };
        }
        return { tokens: estimateTokensByScript(text, 'openai'), method: 'estimate', family: 'openai' };
      }
      return { tokens: estimateTokensByScript(text, choice.family), method: 'estimate', family: choice.family };
    },
  };
}
