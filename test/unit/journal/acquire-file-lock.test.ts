import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

describe('acquireFileLock by hard link', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-lock-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  const claimsIn = (): string[] => readdirSync(directory).filter((name) => name.endsWith('.claim'));

  it("takes the lock by linking this process's claim: same inode, content complete the instant it exists", async () => {
    const lockPath = join(directory, 'budget.lock');
    const lock = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now });
    const [claim] = claimsIn();
    assert.ok(claim !== undefined, 'a claim file next to the lock');
    assert.equal(statSync(lockPath).ino, statSync(join(directory, claim)).ino);
    assert.match(readFileSync(lockPath, 'utf8'), new RegExp(`^${process.pid} [0-9a-f-]{36}\\n$`));
    lock.release();
    assert.equal(existsSync(lockPath), false);
    // The claim stays for the next acquisition: one link and one unlink per lock, no file created.
    const again = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now });
    assert.deepEqual(claimsIn(), [claim]);
    again.release();
  });

  it('excludes a second holder until the first releases, and a lock made the old way (O_EXCL) too', async () => {
    const lockPath = join(directory, 'ledger.lock');
    const first = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now });
    await assert.rejects(acquireFileLock(lockPath, { pid: process.pid, now: Date.now, timeoutMs: 150 }), /Could not lock/);
    first.release();
    writeFileSync(lockPath, `${process.pid} written-by-an-older-version ${Date.now()}\n`);
    await assert.rejects(acquireFileLock(lockPath, { pid: process.pid, now: Date.now, timeoutMs: 150 }), /Could not lock/);
    rmSync(lockPath);
    (await acquireFileLock(lockPath, { pid: process.pid, now: Date.now, timeoutMs: 150 })).release();
  });

  it('breaks a linked lock whose process is gone, and one held past staleMs by a live process (by the link time)', async () => {
    const lockPath = join(directory, 'budget.lock');
    const dead = 999_999;
    await acquireFileLock(lockPath, { pid: dead, now: Date.now, isProcessAlive: () => true });
    assert.match(readFileSync(lockPath, 'utf8'), /^999999 /);
    const taken = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now, isProcessAlive: (pid) => pid !== dead, timeoutMs: 2_000 });
    assert.match(readFileSync(lockPath, 'utf8'), new RegExp(`^${process.pid} `));
    taken.release();

    await acquireFileLock(lockPath, { pid: 4242, now: Date.now, isProcessAlive: () => true });
    const started = Date.now();
    const late = await acquireFileLock(lockPath, { pid: process.pid, now: Date.now, isProcessAlive: () => true, staleMs: 300, timeoutMs: 5_000 });
    assert.ok(Date.now() - started >= 250, 'waited until the live holder had held it past staleMs');
    late.release();
  });

  it('falls back to O_EXCL where the file system refuses the link (EPERM), and still excludes', async () => {
    const lockPath = join(directory, 'budget.lock');
    const pid = 5151; // a pid of its own: claims are remembered per lock and pid for the process's life
    (await acquireFileLock(lockPath, { pid, now: Date.now, isProcessAlive: () => true })).release();
    const [claim] = claimsIn();
    assert.ok(claim !== undefined);
    // A directory cannot be hard-linked (EPERM), as a file system without links refuses a file.
    rmSync(join(directory, claim));
    mkdirSync(join(directory, claim));
    const lock = await acquireFileLock(lockPath, { pid, now: Date.now, isProcessAlive: () => true, timeoutMs: 2_000 });
    assert.equal(statSync(lockPath).nlink, 1, 'a file of its own, not a link');
    assert.match(readFileSync(lockPath, 'utf8'), new RegExp(`^${pid} [0-9a-f-]{36} \\d+\\n$`), 'pid, id and time, written before anyone reads it');
    await assert.rejects(acquireFileLock(lockPath, { pid: 5152, now: Date.now, isProcessAlive: () => true, timeoutMs: 150 }), /Could not lock/);
    lock.release();
    assert.equal(existsSync(lockPath), false);
    const again = await acquireFileLock(lockPath, { pid, now: Date.now, isProcessAlive: () => true, timeoutMs: 2_000 });
    assert.equal(statSync(lockPath).nlink, 1, 'again by O_EXCL');
    again.release();
  });

  it('removes the claim files of processes that are gone', async () => {
    const lockPath = join(directory, 'budget.lock');
    writeFileSync(join(directory, 'budget.lock.999998.abcd1234.claim'), '999998 gone\n');
    writeFileSync(join(directory, 'budget.lock.777.abcd1234.claim'), '777 alive\n');
    const lock = await acquireFileLock(lockPath, { pid: 31337, now: Date.now, isProcessAlive: (pid) => pid !== 999_998 });
    lock.release();
    const left = claimsIn();
    assert.ok(!left.includes('budget.lock.999998.abcd1234.claim'));
    assert.ok(left.includes('budget.lock.777.abcd1234.claim'));
  });
});
