import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenCounter } from '../../../src/core/tokenizer/count-tokens';
import { estimateTokensByScript } from '../../../src/core/tokenizer/estimate-tokens-by-script';
import { loadEncodingFromPackage } from '../../../src/core/tokenizer/load-encoding-from-package';
import { selectTokenizer } from '../../../src/core/tokenizer/select-tokenizer';
import type { TokenizerEncoding } from '../../../src/core/tokenizer/tokenizer-encoding';

const root = join(__dirname, '..', '..', '..');

describe('selectTokenizer', () => {
  const cases: Array<[string, string]> = [
    ['gpt-4o', 'o200k_base'],
    ['openai/gpt-4o-mini:floor', 'o200k_base'],
    ['openai/gpt-4.1', 'o200k_base'],
    ['gpt-5-mini', 'o200k_base'],
    ['openai/o3-mini', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['azure/gpt-4o-prod', 'o200k_base'],
    ['openai/gpt-4-turbo', 'cl100k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['anthropic/claude-sonnet-4.5', 'estimate:anthropic'],
    ['google/gemini-2.5-pro', 'estimate:gemini'],
    ['meta-llama/llama-3.3-70b-instruct', 'estimate:other'],
    ['perpetuo/auto', 'estimate:route'],
  ];
  for (const [model, expected] of cases) {
    it(`${model} → ${expected}`, () => {
      const choice = selectTokenizer(model);
      assert.equal(choice.kind === 'exact' ? choice.encoding : `estimate:${choice.family}`, expected);
    });
  }
});

describe('countTokensForModel', () => {
  it('counts OpenAI models exactly with the real encodings', async function () {
    this.timeout(30_000); // loading the 2.6 MB o200k ranks is slow on a busy CI core
    const counter = createTokenCounter({ loadEncoding: loadEncodingFromPackage });
    // OpenAI's cookbook shows "tiktoken is great!" as 6 tokens in both encodings.
    // https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken
    assert.deepEqual(await counter.countTokensForModel('openai/gpt-4o', 'hello world'), { tokens: 2, method: 'exact', encoding: 'o200k_base' });
    assert.equal((await counter.countTokensForModel('gpt-4', 'tiktoken is great!')).tokens, 6);
    assert.equal((await counter.countTokensForModel('gpt-4o', 'tiktoken is great!')).tokens, 6);
  });

  it('the two encodings differ where their vocabularies do (Russian prose)', async () => {
    const counter = createTokenCounter({ loadEncoding: loadEncodingFromPackage });
    const text = 'Маршрутизатор языковых моделей работает внутри редактора и выбирает модель по стратегии, бюджету и доступности. Ключи хранятся только в защищённом хранилище.';
    const o200k = await counter.countTokensForModel('gpt-4o', text);
    const cl100k = await counter.countTokensForModel('gpt-4', text);
    assert.ok(o200k.tokens < cl100k.tokens, `o200k ${o200k.tokens} should be below cl100k ${cl100k.tokens}`);
  });

  it('loads each encoding once, even for concurrent callers', async () => {
    const loads: TokenizerEncoding[] = [];
    const counter = createTokenCounter({
      loadEncoding: (encoding) => {
        loads.push(encoding);
        return loadEncodingFromPackage(encoding);
      },
    });
    await Promise.all([counter.countTokensForModel('gpt-4o', 'a'), counter.countTokensForModel('gpt-4o-mini', 'b'), counter.countTokensForModel('claude-3-haiku', 'c')]);
    await counter.countTokensForModel('gpt-4o', 'd');
    assert.deepEqual(loads, ['o200k_base']);
  });

  it('falls back to the estimate, and reports once, when an encoding cannot be loaded', async () => {
    const failures: string[] = [];
    const counter = createTokenCounter({
      loadEncoding: () => Promise.reject(new Error('dist/tokenizer/o200k_base.js not found')),
      onLoadError: (encoding) => failures.push(encoding),
    });
    const first = await counter.countTokensForModel('gpt-4o', 'hello world, hello world');
    await counter.countTokensForModel('gpt-4o', 'again');
    assert.equal(first.method, 'estimate');
    assert.equal(first.family, 'openai');
    assert.ok(first.tokens > 0);
    assert.deepEqual(failures, ['o200k_base']);
  });

  it('estimates other families without loading anything', async () => {
    const counter = createTokenCounter({ loadEncoding: () => Promise.reject(new Error('must not load')) });
    const count = await counter.countTokensForModel('anthropic/claude-sonnet-4.5', 'const x = 1;');
    assert.equal(count.method, 'estimate');
    assert.equal(count.family, 'anthropic');
  });
});

describe('estimateTokensByScript', () => {
  it('stays within −20 % … +20 % of o200k_base on this repository’s code and prose', async () => {
    const o200k = await loadEncodingFromPackage('o200k_base');
    for (const file of ['README.md', 'ARCHITECTURE.md', 'src/core/tokenizer/count-tokens.ts', 'src/core/providers/provider-registry.ts', 'package.json']) {
      const text = readFileSync(join(root, file), 'utf8');
      const real = o200k.countTokens(text);
      const estimate = estimateTokensByScript(text, 'openai');
      const error = estimate / real - 1;
      assert.ok(Math.abs(error) <= 0.2, `${file}: estimate ${estimate} vs o200k ${real} (${(error * 100).toFixed(1)} %)`);
    }
  });

  it('scales by family: anthropic and routes above gemini, gemini equal to the o200k fit', () => {
    const text = 'export function add(a: number, b: number): number { return a + b; }';
    const base = estimateTokensByScript(text, 'openai');
    assert.equal(estimateTokensByScript(text, 'gemini'), base);
    assert.ok(estimateTokensByScript(text, 'anthropic') > base);
    assert.equal(estimateTokensByScript(text, 'route'), estimateTokensByScript(text, 'anthropic'));
  });

  it('counts CJK near one token a character and an emoji as two, not per UTF-16 unit', () => {
    assert.equal(estimateTokensByScript('这个扩展在编辑器中运行', 'gemini'), Math.ceil(11 * 1.1));
    assert.equal(estimateTokensByScript('🦊', 'gemini'), 2);
    assert.equal(estimateTokensByScript('', 'anthropic'), 0);
  });

  it('classes every ASCII character: letters and digits, whitespace, the rest punctuation', () => {
    // Many of one character, so that a class rate shows through the rounding up.
    const rate = (code: number): number => estimateTokensByScript(String.fromCharCode(code).repeat(1_000), 'openai');
    for (let code = 0; code < 0x80; code++) {
      const char = String.fromCharCode(code);
      const expected = /^[A-Za-z0-9]$/.test(char) ? 194 : char === ' ' || char === '\n' || char === '\t' || char === '\r' ? 137 : 632;
      assert.equal(rate(code), expected, `code ${code}`);
    }
    assert.equal(estimateTokensByScript('é'.repeat(1_000), 'openai'), 194, 'Latin-1 letters count as letters');
  });
});
