// Run as a separate OS process by the crash test: appends forever, printing each id once its
// append has resolved (that is, once it is fsync'd), until it is killed.
import { openLedger } from '../../../../src/core/ledger/open-ledger';
import { makeLedgerRecord } from './make-ledger-record';

const [directory, prefix] = process.argv.slice(2);
const ledger = openLedger({ directory: directory ?? '', now: Date.now, pid: process.pid });

async function writer(lane: number): Promise<never> {
  for (let n = 0; ; n++) {
    const id = `${prefix}-${lane}-${n}`;
    // A long decision makes each write large enough that a kill can land in the middle of one.
    await ledger.append(makeLedgerRecord({ id, time: new Date().toISOString(), decision: { padding: 'x'.repeat(4000 + (n % 7) * 1000) } }));
    process.stdout.write(`${id}\n`);
  }
}

void Promise.all([0, 1, 2, 3].map(writer));
