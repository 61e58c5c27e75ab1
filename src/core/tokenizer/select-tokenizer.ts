import type { TokenizerChoice } from './tokenizer-encoding';

/**
 * OpenAI model families by encoding, matched on the model name without its provider prefix or
 * variant (`openai/gpt-4o:floor`, `azure/gpt-4o-prod` and `gpt-4o` all match `gpt-4o`).
 * o200k_base: GPT-4o, GPT-4.1, GPT-4.5, GPT-5, the o-series and gpt-oss; cl100k_base: GPT-4,
 * GPT-4 Turbo, GPT-3.5 and the text-embedding models. The order matters: `gpt-4o` and `gpt-4.1`
 * must be tested before the plain `gpt-4` prefix.
 * @see https://github.com/openai/tiktoken/blob/main/tiktoken/model.py
 */
const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|codex-)/;
const CL100K = /^(gpt-4|gpt-3\.5|gpt-35|text-embedding-3|text-embedding-ada-002)/;

/** Which tokenizer counts a model's text: the real encoding for OpenAI models, an estimate for the rest. */
export function selectTokenizer(modelId: string): TokenizerChoice {
  const lower = modelId.toLowerCase();
  const [provider, ...rest] = lower.split('/');
  if (provider === 'perpetuo') {
    // A route (perpetuo/auto, …) is served by a model chosen later: count on the high side.
    return { kind: 'estimate', family: 'route' };
  }
  const name = (rest.length ? rest.join('/') : lower).replace(/:.*$/, '');
  if (O200K.test(name)) {
    return { kind: 'exact', encoding: 'o200k_base' };
  }
  if (CL100K.test(name)) {
    return { kind: 'exact', encoding: 'cl100k_base' };
  }
  if (provider === 'anthropic' || name.startsWith('claude')) {
    return { kind: 'estimate', family: 'anthropic' };
  }
  if (provider === 'google' || name.startsWith('gemini') || name.startsWith('gemma')) {
    return { kind: 'estimate', family: 'gemini' };
  }
  return { kind: 'estimate', family: 'other' };
}
