import assert from 'node:assert/strict';
import { appendFileSync, fdatasync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openJournalFile, type JournalFileOptions } from '../../../src/core/journal';

const realFdatasync = promisify(fdatasync);

interface Seen {
  lines: Array<{ line: string; offset: number; length: number; lineNumber: number }>;
  torn: Array<{ preview: string; offset: number; bytes: number }>;
}

function reader(path: string, extra: Partial<JournalFileOptions> = {}) {
  const seen: Seen = { lines: [], torn: [] };
  const file = openJournalFile(path, {
    onLine: (line, offset, length, lineNumber) => seen.lines.push({ line, offset, length, lineNumber }),
    onTornTail: (preview, offset, bytes) => seen.torn.push({ preview, offset, bytes }),
    ...extra,
  });
  return { file, seen };
}

describe('openJournalFile', () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-journal-'));
    path = join(directory, 'journal.jsonl');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('reads only what was appended since its last read, with byte offsets and line numbers', () => {
    const { file, seen } = reader(path);
    assert.equal(file.read('wait'), 'missing');
    writeFileSync(path, 'héllo\nworld\n');
    assert.equal(file.read('wait'), 'read');
    appendFileSync(path, '\nthird\n');
    file.read('wait');
    assert.deepEqual(seen.lines, [
      { line: 'héllo', offset: 0, length: 6, lineNumber: 1 },
      { line: 'world', offset: 7, length: 5, lineNumber: 2 },
      { line: 'third', offset: 14, length: 5, lineNumber: 4 },
    ]);
    assert.equal(file.offset, 20);
  });

  it("leaves a line without its newline for the next read ('wait'), reports it ('report'), or skips it under the lock ('skip')", () => {
    writeFileSync(path, 'one\n{"half":');
    const waiting = reader(path);
    waiting.file.read('wait');
    assert.deepEqual(waiting.seen.torn, []);
    appendFileSync(path, '1}\n');
    waiting.file.read('wait');
    assert.deepEqual(waiting.seen.lines.map((seen) => seen.line), ['one', '{"half":1}'], 'a write in progress is read whole once it ends');

    writeFileSync(path, 'one\n{"torn":');
    const starting = reader(path);
    starting.file.read('report');
    assert.deepEqual(starting.seen.torn, [{ preview: '{"torn":', offset: 4, bytes: 8 }]);
    assert.equal(starting.file.offset, 4, 'reported, not consumed');

    const locked = reader(path);
    locked.file.read('skip');
    assert.equal(locked.seen.torn.length, 1);
    assert.equal(locked.file.offset, 12);
    locked.file.append(['{"next":2}'], true);
    assert.equal(readFileSync(path, 'utf8'), 'one\n{"torn":\n{"next":2}\n', 'the next append starts on a fresh line');
    assert.equal(locked.file.offset, 24, 'consumed: its own lines are not read back');
    locked.file.read('skip');
    assert.deepEqual(locked.seen.lines.map((seen) => seen.line), ['one']);

    const later = reader(path);
    later.file.read('report');
    assert.deepEqual(later.seen.lines.map((seen) => seen.line), ['one', '{"torn":', '{"next":2}'], 'the torn bytes are a line of their own');
  });

  it('tells whether the file changed with one stat, and starts over when it was replaced', () => {
    const { file, seen } = reader(path);
    assert.equal(file.hasChanged(), false, 'no file, nothing read');
    writeFileSync(path, 'a\n');
    assert.equal(file.hasChanged(), true);
    file.read('wait');
    assert.equal(file.hasChanged(), false);
    file.append(['b'], false);
    assert.equal(file.hasChanged(), true, 'not consumed: still to be read');
    file.read('wait');
    assert.equal(file.hasChanged(), false);

    const other = reader(path);
    other.file.read('skip');
    other.file.replace(['compacted'], 'test');
    assert.equal(readFileSync(path, 'utf8'), 'compacted\n');
    assert.equal(file.hasChanged(), true);
    assert.equal(file.read('wait'), 'replaced');
    assert.equal(file.read('wait'), 'read');
    assert.deepEqual(seen.lines.map((line) => line.line), ['a', 'b', 'compacted']);
    assert.equal(other.file.read('wait'), 'replaced', 'the replacing reader starts over too');
  });

  it('updates with one descriptor: reads what others appended, then appends what was decided on it', () => {
    const { file, seen } = reader(path);
    assert.equal(file.update('skip', () => ['mine 1']), 'read');
    appendFileSync(path, 'theirs\n');
    assert.equal(
      file.update('skip', () => {
        assert.deepEqual(seen.lines.map((line) => line.line), ['theirs'], 'decided after reading, and its own line is not read back');
        return ['mine 2'];
      }),
      'read',
    );
    openJournalFile(path, { onLine: () => undefined }).replace(['compacted'], 'test');
    assert.equal(file.update('skip', () => assert.fail('decided on a replaced file')), 'replaced');
    assert.equal(file.update('skip', () => ['mine 3']), 'read');
    assert.equal(readFileSync(path, 'utf8'), 'compacted\nmine 3\n');
    assert.deepEqual(seen.lines.map((line) => line.line), ['theirs', 'compacted']);
  });

  it('shares one fdatasync among every flush waiting at that moment, and never resolves a flush with a sync that began before it', async () => {
    const events: string[] = [];
    let syncs = 0;
    const { file } = reader(path, {
      fdatasync: async (fd) => {
        const n = ++syncs;
        events.push(`sync ${n} start`);
        await realFdatasync(fd);
        events.push(`sync ${n} end`);
      },
    });
    file.append(['first'], false);
    const first = file.flush().then(() => events.push('first acknowledged'));
    const during: Array<Promise<number>> = [];
    for (let i = 0; i < 50; i++) {
      file.append([`line ${i}`], false);
      during.push(file.flush().then(() => events.push(`during ${i} acknowledged`)));
    }
    await Promise.all([first, ...during]);
    assert.equal(syncs, 2, 'one sync for the first line, one for the 50 written while it ran');
    assert.ok(events.indexOf('first acknowledged') > events.indexOf('sync 1 end'));
    assert.ok(events.indexOf('during 0 acknowledged') > events.indexOf('sync 2 end'), events.join(', '));
    const check = reader(path);
    check.file.read('report');
    assert.equal(check.seen.lines.length, 51);
  });

  it('with syncDelayMs, gathers every flush of the window into one sync that starts after the window, and does not report it as in progress meanwhile', async () => {
    const starts: number[] = [];
    const { file } = reader(path, {
      syncDelayMs: 40,
      fdatasync: async (fd) => {
        starts.push(performance.now());
        await realFdatasync(fd);
      },
    });
    const opened = performance.now();
    const acknowledged: Array<Promise<void>> = [];
    for (let i = 0; i < 5; i++) {
      file.append([`line ${i}`], false);
      acknowledged.push(file.flush());
      // Appends in the window go straight to the file: nothing should wait for a sync not yet started.
      assert.equal(file.syncInProgress(), undefined);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const check = reader(path);
    check.file.read('report');
    assert.equal(check.seen.lines.length, 5, 'written before any sync');
    await Promise.all(acknowledged);
    assert.equal(starts.length, 1, 'one sync for the whole window');
    assert.ok((starts[0] ?? 0) - opened >= 39, `the sync started ${((starts[0] ?? 0) - opened).toFixed(1)} ms after the first flush`);
    // The next flush opens a new window.
    file.append(['later'], false);
    await file.flush();
    assert.equal(starts.length, 2);
  });
});
