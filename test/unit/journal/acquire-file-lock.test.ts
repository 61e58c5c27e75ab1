import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock } from '../../../src/core/journal/acquire-file-lock';

describe('acquireFileLock', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-lock-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('breaks an empty lock left by a process killed between creating and writing it (kill -9)', async () => {
    const lockPath = join(directory, 'ledger.lock');
    writeFileSync(lockPath, '');
    const longAgo = new Date(Date.now() - 10_000);
    utimesSync(lockPath, longAgo, longAgo);
    const lock = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now, timeoutMs: 3_000 });
    lock.release();
    assert.equal(existsSync(lockPath), false);
  });

  it('waits on an empty lock that was just created: its writer is about to fill it', async () => {
    const lockPath = join(directory, 'ledger.lock');
    writeFileSync(lockPath, '');
    await assert.rejects(acquireFileLock(lockPath, { pid: process.pid, now: Date.now, timeoutMs: 200 }), /Could not lock/);
  });
});
