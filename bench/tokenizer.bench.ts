/**
 * Token counting: the time to count 10 KB of mixed code and prose with the real o200k_base and
 * cl100k_base encodings (median after warm-up), the one-off cost of loading an encoding, and how
 * far the script estimate used for non-OpenAI models lands from o200k_base on a few samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { estimateTokensByScript } from '../src/core/tokenizer/estimate-tokens-by-script';
import { loadEncodingFromPackage } from '../src/core/tokenizer/load-encoding-from-package';
import type { BenchResult } from './bench-result';

const root = join(__dirname, '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** 10 KB alternating TypeScript from this repo and Markdown prose: what a prompt with a file attached looks like. */
function mixedSample(): string {
  const code = readFileSync(join(root, 'src/core/tokenizer/estimate-tokens-by-script.ts'), 'utf8');
  const prose = readFileSync(join(root, 'README.md'), 'utf8');
  let text = '';
  while (text.length < 10_240) {
    text += code.slice(0, 2_500) + '\n\n' + prose.slice(0, 2_500) + '\n\n';
  }
  return text.slice(0, 10_240);
}

export async function run(): Promise<BenchResult[]> {
  const text = mixedSample();
  const results: BenchResult[] = [];
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    let start = performance.now();
    const counter = await loadEncodingFromPackage(encoding);
    counter.countTokens('warm');
    const loadMs = performance.now() - start;
    for (let i = 0; i < 50; i++) counter.countTokens(text); // warm-up: JIT and the BPE cache
    const times: number[] = [];
    for (let round = 0; round < 201; round++) {
      start = performance.now();
      counter.countTokens(text);
      times.push(performance.now() - start);
    }
    const p50 = median(times);
    results.push({ name: `count 10 KB code+prose, ${encoding} (p50)`, value: Number(p50.toFixed(3)), unit: 'ms', goal: '≤ 2 ms', pass: p50 <= 2, notes: `${counter.countTokens(text)} tokens` });
    results.push({ name: `load ${encoding} (first count)`, value: Number(loadMs.toFixed(1)), unit: 'ms', notes: 'once per window, on the first count for a model of this encoding' });
  }

  const o200k = await loadEncodingFromPackage('o200k_base');
  const samples: Record<string, string> = {
    'TypeScript (plan-route.ts)': readFileSync(join(root, 'src/core/routing/plan-route.ts'), 'utf8'),
    'Markdown (ARCHITECTURE.md)': readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8'),
    'JSON (package.json)': readFileSync(join(root, 'package.json'), 'utf8'),
    'mixed 10 KB': text,
  };
  for (const [name, sample] of Object.entries(samples)) {
    const real = o200k.countTokens(sample);
    const estimate = estimateTokensByScript(sample, 'openai');
    const errorPercent = (estimate / real - 1) * 100;
    results.push({
      name: `estimate vs o200k_base: ${name}`,
      value: Number(errorPercent.toFixed(1)),
      unit: '%',
      goal: 'within ±20 %',
      pass: Math.abs(errorPercent) <= 20,
      notes: `estimate ${estimate}, o200k_base ${real}`,
    });
  }
  return results;
}
