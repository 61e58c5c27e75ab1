import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../../../src/core/errors';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import { makeLedgerRecord } from './support/make-ledger-record';

const local = (y: number, m: number, d: number, h = 12): number => new Date(y, m - 1, d, h).getTime();

describe('openLedger', () => {
  let directory: string;
  let nowMs: number;
  const open = (extra: { onWarning?: (m: string) => void; logPrompts?: () => boolean } = {}) => openLedger({ directory, now: () => nowMs, pid: process.pid, ...extra });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'perpetuo-ledger-'));
    nowMs = local(2026, 3, 14);
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('writes one JSON line per record into the UTC-month segment and reads it back by id', async () => {
    const ledger = open();
    await ledger.append(makeLedgerRecord({ id: 'r1', time: '2026-03-31T23:59:59.000Z' }));
    await ledger.append(makeLedgerRecord({ id: 'r2', time: '2026-04-01T00:00:00.000Z' }));
    assert.deepEqual(readdirSync(directory).filter((n) => n.endsWith('.jsonl')).sort(), ['ledger-2026-03.jsonl', 'ledger-2026-04.jsonl']);
    assert.equal(readFileSync(join(directory, 'ledger-2026-03.jsonl'), 'utf8').split('\n').length, 2);
    assert.equal(ledger.get('r2')?.time, '2026-04-01T00:00:00.000Z');
    assert.equal(ledger.get('nope'), undefined);
  });

  it('keeps today\'s spend per local day, including records another process appended', async () => {
    const a = open();
    const b = open();
    await a.append(makeLedgerRecord({ id: 'a1', time: new Date(local(2026, 3, 14, 9)).toISOString(), cost: { chargedUsd: 0.25 } }));
    await b.append(makeLedgerRecord({ id: 'b1', time: new Date(local(2026, 3, 14, 23)).toISOString(), cost: { chargedUsd: 0.5 } }));
    await b.append(makeLedgerRecord({ id: 'b2', time: new Date(local(2026, 3, 15, 0)).toISOString(), cost: { chargedUsd: 2 } }));
    assert.equal(a.spendOnDayNanos(), 750_000_000);
    assert.equal(a.spendOnDayNanos(local(2026, 3, 15)), 2_000_000_000);
    nowMs = local(2026, 3, 15, 8);
    assert.equal(b.spendOnDayNanos(), 2_000_000_000, 'a new local day starts at zero');
  });

  it('skips a torn last line with a warning, loses nothing before it, and isolates it from the next append', async () => {
    const ledger = open();
    await ledger.append(makeLedgerRecord({ id: 'kept' }));
    appendFileSync(join(directory, 'ledger-2026-03.jsonl'), '{"v":1,"id":"torn","time":"2026-03-14T1');
    const warnings: string[] = [];
    const reopened = open({ onWarning: (message) => warnings.push(message) });
    assert.ok(reopened.get('kept'));
    assert.equal(reopened.size, 1);
    assert.match(warnings.join('\n'), /torn last record/);
    await reopened.append(makeLedgerRecord({ id: 'next' }));
    const third = open({ onWarning: (message) => warnings.push(message) });
    assert.ok(third.get('next'), 'the record after the torn bytes is intact');
    assert.ok(third.get('kept'));
    assert.match(warnings.at(-1) ?? '', /malformed line/);
  });

  it('aggregates spend and tokens by day, model, provider and source over a period', async () => {
    const ledger = open();
    const rows: Array<[string, number, string, string, 'chat' | 'endpoint', number]> = [
      ['1', local(2026, 3, 13), 'openai/gpt-5-mini', 'openai', 'chat', 0.1],
      ['2', local(2026, 3, 14), 'openai/gpt-5-mini', 'openai', 'endpoint', 0.2],
      ['3', local(2026, 3, 14), 'anthropic/claude-sonnet-4.5', 'openrouter', 'endpoint', 0.4],
      ['4', local(2026, 3, 20), 'anthropic/claude-sonnet-4.5', 'anthropic', 'chat', 1],
    ];
    for (const [id, at, model, provider, kind, usd] of rows) {
      await ledger.append(
        makeLedgerRecord({ id, time: new Date(at).toISOString(), served: { model, provider }, source: kind === 'endpoint' ? { kind, detail: 'aider' } : { kind }, cost: { chargedUsd: usd } }),
      );
    }
    const from = local(2026, 3, 13, 0);
    const to = local(2026, 3, 15, 0);
    assert.deepEqual(
      ledger.aggregate('day', from, to).map((r) => [r.key, r.requests, r.chargedNanos, r.inputTokens]),
      [
        ['2026-03-13', 1, 100_000_000, 100],
        ['2026-03-14', 2, 600_000_000, 200],
      ],
    );
    assert.deepEqual(ledger.aggregate('model').map((r) => [r.key, r.chargedUsd]), [
      ['anthropic/claude-sonnet-4.5', 1.4],
      ['openai/gpt-5-mini', 0.3],
    ]);
    assert.deepEqual(ledger.aggregate('source', from, to).map((r) => r.key).sort(), ['chat', 'endpoint:aider']);
    assert.deepEqual(ledger.aggregate('provider', from, to).map((r) => r.key), ['openrouter', 'openai']);
  });

  it('searches by text anywhere in the record (decision included) and by filters, newest first, with paging', async () => {
    const ledger = open();
    for (let i = 0; i < 30; i++) {
      await ledger.append(
        makeLedgerRecord({
          id: `s${i}`,
          time: new Date(local(2026, 3, 1) + i * 60_000).toISOString(),
          outcome: i % 3 === 0 ? 'error' : 'ok',
          decision: { rejected: i % 2 === 0 ? [{ model: 'x/y', reason: 'zdr' }] : [] },
        }),
      );
    }
    const errors = ledger.search({ outcome: 'error', limit: 4 });
    assert.equal(errors.total, 10);
    assert.deepEqual(errors.records.map((r) => r.id), ['s27', 's24', 's21', 's18']);
    const page2 = ledger.search({ text: 'ZDR', offset: 3, limit: 3 });
    assert.equal(page2.total, 15);
    assert.deepEqual(page2.records.map((r) => r.id), ['s22', 's20', 's18']);
    assert.equal(ledger.search({ text: 'zdr', outcome: 'error' }).total, 5);
    assert.equal(ledger.search({ model: 'no/such-model' }).total, 0);
  });

  it('exports RFC 4180 CSV and JSON, oldest first', async () => {
    const ledger = open();
    await ledger.append(makeLedgerRecord({ id: 'e2', time: '2026-03-14T11:00:00.000Z', outcome: 'error', error: { kind: 'server', message: 'upstream said "no", then\r\nclosed' } }));
    await ledger.append(makeLedgerRecord({ id: 'e1', time: '2026-03-14T10:00:00.000Z', error: { kind: 'x', message: '=HYPERLINK("http://evil")' } }));
    const csv = ledger.export('csv');
    const lines = csv.split('\r\n');
    assert.match(lines[0] ?? '', /^time,id,source,/);
    assert.ok(lines[1]?.includes(`,x,"'=HYPERLINK(""http://evil"")",`), lines[1]);
    assert.ok(csv.includes('"upstream said ""no"", then\r\nclosed"'));
    assert.ok(csv.endsWith('\r\n'));
    const json = JSON.parse(ledger.export('json')) as Array<{ id: string }>;
    assert.deepEqual(json.map((r) => r.id), ['e1', 'e2']);
  });

  it('deletes month segments older than the retention and forgets their records', async () => {
    const ledger = open();
    await ledger.append(makeLedgerRecord({ id: 'old', time: '2025-12-20T10:00:00.000Z' }));
    await ledger.append(makeLedgerRecord({ id: 'recent', time: '2026-02-20T10:00:00.000Z' }));
    nowMs = Date.UTC(2026, 2, 14);
    assert.deepEqual(await ledger.applyRetention(60), ['ledger-2025-12.jsonl']);
    assert.equal(ledger.get('old'), undefined);
    assert.ok(ledger.get('recent'));
  });

  it('never writes a key, in any field, and the prompt only when prompt logging is on', async () => {
    const azureKey = 'f3a9c0b1d2e34f5a6b7c8d9e0f1a2b3c';
    registerSecret(azureKey);
    const keys = ['sk-proj-Pl4nt3dKey0123456789abcdefXYZ', 'AIzaSyPl4nt3dGeminiKey0123456789abc', 'gsk_Pl4nt3dGroqKey0123456789abcdef', azureKey];
    let logPrompts = false;
    const ledger = open({ logPrompts: () => logPrompts });
    const planted = (id: string) =>
      makeLedgerRecord({
        id,
        keyId: keys[0],
        error: { kind: 'auth', message: `bad key ${keys[1]}` },
        decision: { headers: { authorization: `Bearer ${keys[3]}` }, [keys[2] ?? '']: 'as an object key' },
        tokens: { input: { total: 1 }, output: { total: 1 }, raw: { echoed: keys[2] } },
        attribution: { note: `https://x.test/v1?key=${keys[1]}` },
        prompt: [{ role: 'user', content: `please use ${keys[0]} and remember this secret sentence` }],
      });
    await ledger.append(planted('p-off'));
    logPrompts = true;
    await ledger.append(planted('p-on'));
    const text = readdirSync(directory).map((name) => readFileSync(join(directory, name), 'utf8')).join('\n');
    for (const key of keys) {
      assert.ok(!text.includes(key), `${key.slice(0, 6)}… reached the ledger`);
    }
    assert.equal(ledger.get('p-off')?.prompt, undefined);
    assert.match(JSON.stringify(ledger.get('p-on')?.prompt), /remember this secret sentence/);
    assert.equal(ledger.get('p-on')?.keyId, 'sk-…fXYZ');
  });

  it('refuses an invalid record with a config error naming the field', async () => {
    const ledger = open();
    await assert.rejects(ledger.append(makeLedgerRecord({ id: 'bad', latencyMs: -1 })), (error: Error) => /latencyMs/.test(error.message));
  });
});
