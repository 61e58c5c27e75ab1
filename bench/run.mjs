// `npm run bench [name …]`: runs bench/<name>.bench.ts files (all by default), each in its own
// Node process through tsx, and writes BENCHMARKS.md: every figure with its goal, the command that
// reproduces it, the machine and the date. Figures from a previous run of benches not run this
// time are kept, marked with their own date.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')))
  .sort();
const stateFile = join(root, 'bench', 'results.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;

let failed = 0;
for (const file of files) {
  const name = file.replace('.bench.ts', '');
  console.log(`\n=== bench ${name} ===`);
  const runner = `import(${JSON.stringify(join(root, 'bench', file))}).then(async (m) => { const r = await (m.run ?? m.default.run)(); process.stdout.write('\\n@@RESULTS@@' + JSON.stringify(r) + '\\n'); process.exit(0); }).catch((e) => { console.error(e); process.exit(1); })`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '-e', runner], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const marker = child.stdout.lastIndexOf('@@RESULTS@@');
  process.stdout.write(marker >= 0 ? child.stdout.slice(0, marker) : child.stdout);
  if (child.status !== 0 || marker < 0) {
    console.error(`bench ${name} failed (exit ${child.status})`);
    failed++;
    continue;
  }
  const results = JSON.parse(child.stdout.slice(marker + '@@RESULTS@@'.length));
  for (const r of results) {
    console.log(`${r.name}: ${r.value} ${r.unit}${r.goal ? ` (goal ${r.goal}: ${r.pass ? 'met' : 'NOT met'})` : ''}`);
  }
  state[name] = { date: new Date().toISOString().slice(0, 10), machine, command: `npm run bench -- ${name}`, results };
}
writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n');

const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (all benches) or `npm run bench -- <name>` (one); do not edit by hand.',
  'Each section names the command that reproduces it, the machine and the date it ran. Speed and memory',
  'targets live here, never in timed tests.',
  '',
];
for (const name of Object.keys(state).sort()) {
  const section = state[name];
  lines.push(`## ${name}`, '', `\`${section.command}\` · ${section.date} · ${section.machine}`, '', '| figure | value | goal | met |', '|---|---|---|---|');
  for (const r of section.results) {
    const value = Number.isInteger(r.value) ? r.value : Number(r.value.toPrecision(4));
    lines.push(`| ${r.name} | ${value} ${r.unit} | ${r.goal ?? ''} | ${r.goal ? (r.pass ? 'yes' : '**no**') : ''} |`);
  }
  const notes = section.results.filter((r) => r.notes).map((r) => `- ${r.name}: ${r.notes}`);
  lines.push('', ...notes, ...(notes.length ? [''] : []));
}
writeFileSync(join(root, 'BENCHMARKS.md'), lines.join('\n'));
console.log(`\nBENCHMARKS.md written (${Object.keys(state).length} sections)`);
process.exit(failed ? 1 : 0);
