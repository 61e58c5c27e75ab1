// Build entry (dist/tokenizer/cl100k_base.js): the cl100k_base ranks (1 MB) in their own file,
// required only when a GPT-4 / GPT-3.5 model's tokens are first counted.
export { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
