/**
 * Characters per token by script, for BPE tokenizers of the cl100k / o200k / Claude family.
 *
 * - Latin letters, digits and spaces: about 4 characters a token (OpenAI's published rule of
 *   thumb for English prose).
 * - ASCII punctuation and symbols: code is punctuation-heavy and its symbols rarely merge with
 *   their neighbours, so each one is counted as half a token. This lifts source code to about
 *   3 characters a token, which is what real tokenizers give for TypeScript or Python.
 * - Cyrillic, Greek, Arabic, Hebrew, Indic, Thai and other alphabets: about 2 characters a
 *   token; these scripts are under-represented in tokenizer vocabularies.
 * - CJK ideographs, kana and hangul: about one token a character.
 * - Anything outside the Basic Multilingual Plane (emoji, rare ideographs): 2 tokens each, since
 *   they usually split into byte-level pieces.
 *
 * The estimate is meant to be on the high side of the truth for prose and close to it for code;
 * it decides routing (context windows, cost caps), not billing: the ledger bills what the
 * provider reports.
 */
const LATIN_CHARS_PER_TOKEN = 4;
const PUNCTUATION_TOKENS_PER_CHAR = 0.5;
const ALPHABET_CHARS_PER_TOKEN = 2;
const CJK_TOKENS_PER_CHAR = 1;
const ASTRAL_TOKENS_PER_CHAR = 2;

/** Estimated token count of a piece of text; see the ratios above for how each script is counted. */
export function estimateTextTokens(text: string): number {
  let latin = 0;
  let punctuation = 0;
  let alphabet = 0;
  let cjk = 0;
  let astral = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      if (
        (code >= 0x30 && code <= 0x39) ||
        (code >= 0x41 && code <= 0x5a) ||
        (code >= 0x61 && code <= 0x7a) ||
        code === 0x20 ||
        code === 0x0a ||
        code === 0x09 ||
        code === 0x0d
      ) {
        latin++;
      } else {
        punctuation++;
      }
    } else if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one astral character: count it once and skip its low half.
      astral++;
      index++;
    } else if (isCjk(code)) {
      cjk++;
    } else if (code < 0x250) {
      // Latin-1 supplement and Latin Extended: accented letters tokenise like plain Latin.
      latin++;
    } else {
      alphabet++;
    }
  }
  const tokens =
    latin / LATIN_CHARS_PER_TOKEN +
    punctuation * PUNCTUATION_TOKENS_PER_CHAR +
    alphabet / ALPHABET_CHARS_PER_TOKEN +
    cjk * CJK_TOKENS_PER_CHAR +
    astral * ASTRAL_TOKENS_PER_CHAR;
  return Math.ceil(tokens);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) || // hiragana, katakana
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xac00 && code <= 0xd7af) || // hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xff00 && code <= 0xffef) // full-width forms
  );
}
