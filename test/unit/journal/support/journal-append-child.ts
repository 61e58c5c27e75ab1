// Run as a separate OS process by the multi-writer test: appends `count` numbered lines of varied
// length through the locked batches, each awaited until it is flushed, then exits.
import { join } from 'node:path';
import { createLockedBatches, openJournalFile } from '../../../../src/core/journal';

const [directory = '', prefix = 'child', count = '100'] = process.argv.slice(2);
const file = openJournalFile(join(directory, 'journal.jsonl'), { onLine: () => undefined });
const submit = createLockedBatches<{ line: string; resolve: () => void; reject: (error: unknown) => void }>({
  lockPath: join(directory, 'journal.lock'),
  lock: { pid: process.pid, now: Date.now },
  run: (batch) => {
    file.append(
      batch.map((entry) => entry.line),
      false,
    );
    file.flush().then(
      () => batch.forEach((entry) => entry.resolve()),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  },
  fail: (batch, error) => batch.forEach((entry) => entry.reject(error)),
});

async function lane(start: number, step: number): Promise<void> {
  for (let n = start; n < Number(count); n += step) {
    const line = JSON.stringify({ id: `${prefix}-${n}`, padding: 'x'.repeat(100 + (n % 13) * 700) });
    await new Promise<void>((resolve, reject) => submit({ line, resolve, reject }));
  }
}

setTimeout(
  () => {
    // One lane: lines of this process stay in order, so the test can check that none was lost or repeated.
    lane(0, 1).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(String(error));
        process.exit(1);
      },
    );
  },
  Math.max(0, Number(process.env.START_AT ?? '0') - Date.now()),
);
