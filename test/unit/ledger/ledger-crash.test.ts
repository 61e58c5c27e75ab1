import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { makeLedgerRecord } from './support/make-ledger-record';

/** Starts the appending child, kills it with SIGKILL once it has acknowledged `atLeast` ids, returns them. */
async function appendThenKill(directory: string, prefix: string, atLeast: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'support', 'ledger-append-child.ts'), directory, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acknowledged: string[] = [];
  let buffered = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    acknowledged.push(...lines.filter((line) => line !== ''));
    if (acknowledged.length >= atLeast && child.exitCode === null && !child.killed) {
      child.kill('SIGKILL');
    }
  });
  assert.equal(await exited, 'SIGKILL');
  // A line printed but not yet read when the process died is still an acknowledgement.
  acknowledged.push(...buffered.split('\n').filter((line) => line !== ''));
  return acknowledged;
}

describe('ledger durability under kill -9', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-ledger-kill-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('loses no acknowledged record, twice in a row, and stays writable after', async function () {
    this.timeout(60_000);
    const first = await appendThenKill(directory, 'a', 300);
    const second = await appendThenKill(directory, 'b', 300);
    const warnings: string[] = [];
    const ledger = openLedger({ directory, now: Date.now, pid: process.pid, onWarning: (message) => warnings.push(message) });
    const missing = [...first, ...second].filter((id) => ledger.get(id) === undefined);
    assert.deepEqual(missing, [], `acknowledged but lost: ${missing.slice(0, 5).join(', ')}`);
    // The killed child may have left its lock and a torn line: neither stops the next writer.
    await ledger.append(makeLedgerRecord({ id: 'after-crash', time: new Date().toISOString() }));
    assert.ok(ledger.get('after-crash'));
    assert.ok(ledger.size >= first.length + second.length + 1);
    for (const warning of warnings) {
      assert.match(warning, /skipped a (torn last record|malformed line)/);
    }
  });
});
