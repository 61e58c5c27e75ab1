#!/usr/bin/env node
// Regenerates src/core/catalog/bundled-catalog.json from a models.dev export.
// Run by hand when the snapshot is refreshed, then commit the JSON (the extension never reads
// the export at run time):
//   node scripts/generate-catalog.mjs [path/to/models-dev-YYYY-MM-DD.json]
// The conversion itself is src/core/catalog/build-catalog-from-models-dev.ts, which the unit
// tests exercise; this file only reads, writes and reports.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(process.argv[2] ?? resolve(root, '../shared/data/models-dev-2026-07-02.json'));
const output = resolve(root, 'src/core/catalog/bundled-catalog.json');

const { buildCatalogFromModelsDev } = await tsImport('../src/core/catalog/build-catalog-from-models-dev.ts', import.meta.url);
const { serializeCatalogSnapshot } = await tsImport('../src/core/catalog/serialize-catalog-snapshot.ts', import.meta.url);
const { formatCatalogWarning } = await tsImport('../src/core/catalog/catalog-warning.ts', import.meta.url);

let built;
try {
  built = buildCatalogFromModelsDev(JSON.parse(await readFile(input, "utf8")), input);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const { snapshot, warnings, report } = built;
const text = serializeCatalogSnapshot(snapshot);
const temp = `${output}.${process.pid}.tmp`;
await writeFile(temp, text, 'utf8');
await rename(temp, output);

for (const warning of warnings) {
  console.warn(`warning: ${formatCatalogWarning(warning)}`);
}
console.log(JSON.stringify(report, null, 2));
console.log(`wrote ${output} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB, ${snapshot.models.length} models)`);
