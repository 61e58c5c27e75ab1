// Build entry (dist/tokenizer/o200k_base.js): the o200k_base ranks are 2.6 MB, so they live in
// their own file that is required only when an OpenAI model's tokens are first counted.
export { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
