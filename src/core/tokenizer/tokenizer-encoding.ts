/** The OpenAI BPE encodings Perpetuo counts exactly; every other family is estimated. */
export type TokenizerEncoding = 'o200k_base' | 'cl100k_base';

/** One loaded encoding. Loading is the expensive part (the ranks are megabytes), counting is cheap. */
export interface EncodingCounter {
  countTokens(text: string): number;
}

/**
 * Loads an encoding on first use. Injected because where the ranks live depends on the host: a
 * separate bundle file next to `dist/extension.js` in VS Code (kept out of the main bundle so
 * activation stays small), the npm package in plain Node.
 */
export type LoadEncoding = (encoding: TokenizerEncoding) => Promise<EncodingCounter>;

/** Tokenizer families whose counts are estimated (see `estimate-tokens-by-script.ts`). */
/** `openai` is estimated only when its encoding could not be loaded. */
export type EstimatedFamily = 'openai' | 'anthropic' | 'gemini' | 'other' | 'route';

/** How a model's text is counted. */
export type TokenizerChoice = { kind: 'exact'; encoding: TokenizerEncoding } | { kind: 'estimate'; family: EstimatedFamily };

/** A count and how it was obtained, so callers (and the dashboard) can say "≈" where it is an estimate. */
export interface TokenCount {
  tokens: number;
  method: 'exact' | 'estimate';
  /** The encoding for exact counts. */
  encoding?: TokenizerEncoding;
  /** The family for estimates. */
  family?: EstimatedFamily;
}
