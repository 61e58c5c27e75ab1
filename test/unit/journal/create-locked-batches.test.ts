import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLockedBatches } from '../../../src/core/journal';

const run = promisify(execFile);

describe('createLockedBatches', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-batches-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('holds operations that are not urgent for the gather window, and lets an urgent one take them along at once', async () => {
    const batches: string[][] = [];
    let ran: () => void = () => undefined;
    const next = (): Promise<void> => new Promise<void>((resolve) => (ran = resolve));
    const queue = (gatherMs: number) =>
      createLockedBatches<string>({
        lockPath: join(directory, 'journal.lock'),
        lock: { pid: process.pid, now: Date.now },
        isUrgent: (operation) => operation.startsWith('reserve'),
        gatherMs,
        run: (batch) => {
          batches.push(batch);
          ran();
        },
        fail: (_batch, error) => assert.fail(String(error)),
      });
    const short = queue(60);
    const started = performance.now();
    let done = next();
    short('settle a');
    short('settle b');
    await done;
    assert.ok(performance.now() - started >= 55, `gathered for ${(performance.now() - started).toFixed(1)} ms`);
    // A window far longer than the test's timeout: only the urgent operation can end it.
    const long = queue(600_000);
    done = next();
    long('settle c');
    await new Promise((resolve) => setTimeout(resolve, 5));
    long('reserve d');
    await done;
    assert.deepEqual(batches, [['settle a', 'settle b'], ['settle c', 'reserve d']]);
  });

  it('runs operations queued together as one batch, under the lock, and later ones in the next', async () => {
    const lockPath = join(directory, 'journal.lock');
    const batches: number[][] = [];
    const done: Array<() => void> = [];
    const submit = createLockedBatches<number>({
      lockPath,
      lock: { pid: process.pid, now: Date.now },
      run: (batch) => {
        assert.ok(existsSync(lockPath), 'the lock is held while the batch runs');
        batches.push(batch);
        done.splice(0).forEach((resolve) => resolve());
      },
      fail: (_batch, error) => assert.fail(String(error)),
    });
    const finished = new Promise<void>((resolve) => done.push(resolve));
    for (let i = 0; i < 200; i++) submit(i);
    await finished;
    const later = new Promise<void>((resolve) => done.push(resolve));
    submit(200);
    await later;
    assert.deepEqual(batches.map((batch) => batch.length), [200, 1]);
    assert.equal(existsSync(lockPath), false, 'released after each batch');
  });

  it('fails every operation of a batch whose lock another live process holds past the timeout', async () => {
    const lockPath = join(directory, 'journal.lock');
    writeFileSync(lockPath, `${process.pid} held-by-test ${Date.now()}\n`);
    const failed = new Promise<{ batch: string[]; error: unknown }>((resolve) => {
      const submit = createLockedBatches<string>({
        lockPath,
        lock: { pid: process.pid, now: Date.now, isProcessAlive: () => true, timeoutMs: 200 },
        run: () => assert.fail('ran without the lock'),
        fail: (batch, error) => resolve({ batch, error }),
      });
      submit('a');
      submit('b');
    });
    const { batch, error } = await failed;
    assert.deepEqual(batch, ['a', 'b']);
    assert.match(String(error), /Could not lock .*journal\.lock/);
  });

  it('keeps the lines of two writer processes whole: no interleaved bytes, nothing lost', async function () {
    this.timeout(60_000);
    const child = join(__dirname, 'support', 'journal-append-child.ts');
    const env = { ...process.env, START_AT: String(Date.now() + 1500) };
    await Promise.all(['a', 'b'].map((prefix) => run(process.execPath, ['--import', 'tsx', child, directory, prefix, '400'], { env })));
    const lines = readFileSync(join(directory, 'journal.jsonl'), 'utf8').split('\n').filter((line) => line !== '');
    assert.equal(lines.length, 800);
    const parsed = lines.map((line) => JSON.parse(line) as { id: string; padding: string });
    for (const prefix of ['a', 'b']) {
      const ids = parsed.filter((entry) => entry.id.startsWith(`${prefix}-`)).map((entry) => Number(entry.id.slice(2)));
      assert.deepEqual(ids, Array.from({ length: 400 }, (_, i) => i), `${prefix}'s lines in order, each once`);
    }
    assert.ok(parsed.every((entry) => entry.padding === 'x'.repeat(entry.padding.length)));
  });
});
