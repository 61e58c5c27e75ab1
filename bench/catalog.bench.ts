/**
 * The model catalog: size of the bundled snapshot, and the cost of loading it at activation
 * (read + JSON.parse + zod validation + price checks + index build), then of the two lookups the
 * router and the error path make. Each figure is the median of interleaved rounds.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Catalog } from '../src/core/catalog/catalog';
import { parseCatalogSnapshot } from '../src/core/catalog/parse-catalog-snapshot';
import type { BenchResult } from './bench-result';

const FILE = join(__dirname, '../src/core/catalog/bundled-catalog.json');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<BenchResult[]> {
  const bytes = statSync(FILE).size;
  const gzipped = gzipSync(readFileSync(FILE)).length;
  const load = (): Catalog => {
    const { snapshot } = parseCatalogSnapshot(JSON.parse(readFileSync(FILE, 'utf8')), 'bench');
    return new Catalog(snapshot);
  };

  let catalog = load(); // warm-up: module loading and JIT are not what is measured
  const loads: number[] = [];
  const resolves: number[] = [];
  const suggestions: number[] = [];
  const names = ['claude-sonnet-4-5-20250929', 'gpt-5-mini', 'accounts/fireworks/models/kimi-k2p6', 'llama-3.3-70b-versatile', 'models/gemini-2.5-pro'];
  for (let round = 0; round < 21; round++) {
    let start = performance.now();
    catalog = load();
    loads.push(performance.now() - start);

    start = performance.now();
    for (let i = 0; i < 200; i++) {
      for (const name of names) catalog.resolveId(name);
    }
    resolves.push(((performance.now() - start) * 1000) / (200 * names.length));

    start = performance.now();
    catalog.closeMatches('claude-sonet-4.5');
    suggestions.push(performance.now() - start);
  }
  const loadMs = median(loads);
  const resolveUs = median(resolves);
  const suggestMs = median(suggestions);
  return [
    { name: 'bundled catalog size', value: Math.round(bytes / 1024), unit: 'KiB', goal: '< 1.5 MB', pass: bytes < 1.5 * 1024 * 1024, notes: `${catalog.models.length} models, ${Math.round(gzipped / 1024)} KiB gzipped` },
    { name: 'load + validate bundled catalog', value: Number(loadMs.toFixed(2)), unit: 'ms', goal: '≤ 50 ms', pass: loadMs <= 50, notes: 'read, JSON.parse, zod schema, price sanity checks, index build; median of 21 rounds' },
    { name: 'resolveId (upstream id or alias)', value: Number(resolveUs.toFixed(2)), unit: 'µs', goal: '≤ 50 µs', pass: resolveUs <= 50 },
    { name: 'closeMatches (did-you-mean over all models)', value: Number(suggestMs.toFixed(2)), unit: 'ms', goal: '≤ 20 ms', pass: suggestMs <= 20, notes: 'only on the unknown-model error path' },
  ];
}
