/**
 * PDF text extraction (src/core/attachments): the generated 3-page fixture through unpdf's PDF.js,
 * cold (first call: PDF.js loads) and warm (median of interleaved rounds), plus a 60-page PDF built
 * here from the fixture's pattern to show the per-page cost and the page limit's saving. Then the
 * page count the token estimate makes of a large inline PDF (src/core/tokens), on the request path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractPdfText } from '../src/core/attachments/extract-pdf-text';
import type { FilePart } from '../src/core/spec/chat-request';
import { estimateFileTokens } from '../src/core/tokens/estimate-media-tokens';
import type { BenchResult } from './bench-result';

const root = join(__dirname, '..');

/** A PDF of `pages` pages of Helvetica text, written like scripts/generate-media-fixtures.mjs does. */
function buildPdf(pages: number): Uint8Array {
  const objects: string[] = [];
  const fontId = 3 + pages * 2;
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${3 + i * 2} 0 R`).join(' ')}] /Count ${pages} >>`;
  for (let i = 0; i < pages; i++) {
    const lines = Array.from({ length: 40 }, (_, line) => `(Page ${i + 1}, line ${line + 1}: routing, budgets and the decision log.) Tj 0 -16 Td`).join('\n');
    const content = `BT /F1 11 Tf 72 760 Td\n${lines}\nET`;
    objects[3 + i * 2] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${4 + i * 2} 0 R >>`;
    objects[4 + i * 2] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  }
  objects[fontId] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = text.length;
    text += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = text.length;
  text += `xref\n0 ${objects.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function run(): Promise<BenchResult[]> {
  const fixture = new Uint8Array(readFileSync(join(root, 'test/fixtures/media/spec.pdf')));
  const long = buildPdf(60);
  const cold = await time(() => extractPdfText(fixture));
  const checked = await extractPdfText(long, { pageLimit: 20 });
  if (checked.totalPages !== 60 || checked.pages.length !== 20 || !checked.pages[19]?.includes('Page 20, line 40')) {
    throw new Error('the 60-page PDF did not extract as expected');
  }
  const fixtureRuns: number[] = [];
  const fullRuns: number[] = [];
  const limitedRuns: number[] = [];
  // Interleaved rounds, so that drift (GC, CPU frequency) spreads over all three figures alike.
  for (let round = 0; round < 15; round++) {
    fixtureRuns.push(await time(() => extractPdfText(fixture)));
    fullRuns.push(await time(() => extractPdfText(long)));
    limitedRuns.push(await time(() => extractPdfText(long, { pageLimit: 20 })));
  }
  const warm = median(fixtureRuns);
  // 500 page objects padded to ~10 MB, as base64 in a file part the way requests carry it. A new
  // part each round: the count is kept per source object.
  const padded = Array.from({ length: 500 }, (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj\n${'x'.repeat(20_000)}\n`).join('');
  const data = Buffer.from(padded, 'latin1').toString('base64');
  const countRuns: number[] = [];
  for (let round = 0; round < 15; round++) {
    const part: FilePart = { type: 'file', source: { kind: 'base64', data }, mediaType: 'application/pdf' };
    const start = process.hrtime.bigint();
    const pages = estimateFileTokens(part, 1);
    countRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (pages !== 500) throw new Error(`the page count read ${pages} pages, not 500`);
  }
  return [
    { name: 'PDF text, spec.pdf (3 pages), first call incl. loading PDF.js', value: Number(cold.toFixed(1)), unit: 'ms', goal: '≤ 500 ms', pass: cold <= 500 },
    { name: 'PDF text, spec.pdf (3 pages), warm', value: Number(warm.toFixed(2)), unit: 'ms', goal: '≤ 20 ms', pass: warm <= 20, notes: 'median of 15 interleaved rounds' },
    { name: 'PDF text, 60 pages × 40 lines, all pages', value: Number(median(fullRuns).toFixed(1)), unit: 'ms', notes: 'median of 15 interleaved rounds' },
    { name: 'PDF text, 60 pages × 40 lines, pageLimit 20', value: Number(median(limitedRuns).toFixed(1)), unit: 'ms', notes: 'pages past the limit are never parsed' },
    {
      name: 'PDF page count for the token estimate, 10 MB file (500 pages)',
      value: Number(median(countRuns).toFixed(1)),
      unit: 'ms',
      notes: `median of 15; base64 decode and a byte search for /Type /Page, once per request (${(data.length / 1e6).toFixed(1)} MB of base64)`,
    },
  ];
}
