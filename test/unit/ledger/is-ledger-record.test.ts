import assert from 'node:assert/strict';
import { isLedgerRecord } from '../../../src/core/ledger/is-ledger-record';
import { ledgerRecordSchema } from '../../../src/core/ledger/ledger-record';
import { makeLedgerRecord } from './support/make-ledger-record';

/** A full record: every optional field present, so each can be broken. */
const full = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(
      makeLedgerRecord({
        id: 'full',
        source: { kind: 'endpoint', detail: 'aider' },
        requested: { model: 'perpetuo/auto', strategy: 'balanced' },
        served: { model: 'openai/gpt-5-mini', provider: 'openrouter', upstreamProvider: 'OpenAI', upstreamId: 'gen-1' },
        tokens: { input: { total: 10, noCache: 4, cacheRead: 5, cacheWrite: 1 }, output: { total: 3, text: 2, reasoning: 1 }, raw: { any: ['thing'] } },
        cost: { reportedUsd: 0.1, estimatedUsd: 0.2, computedUsd: 0.1, chargedUsd: 0.1, basis: 'reported', unknownPriceFields: ['image'] },
        ttftMs: 12,
        error: { kind: 'server', message: 'boom' },
        decision: { anything: true },
        keyId: 'sk-…abcd',
        prompt: [{ role: 'user', content: 'hi' }],
        attribution: { title: 'x' },
      }),
    ),
  ) as Record<string, unknown>;

/** Every path to a value in the record, e.g. ['cost', 'chargedUsd']. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, inner]) => paths(inner, [...prefix, key]))].filter((path) => path.length > 0);
}

function withValue(record: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(record);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path[path.length - 1] ?? '';
  if (value === DELETE) delete target[last];
  else target[last] = value;
  return copy;
}

const DELETE = Symbol('delete');
const REPLACEMENTS: unknown[] = [DELETE, null, undefined, '', 'text', 0, -1, 1.5, 2 ** 60, Number.NaN, Infinity, true, [], ['a'], [1], {}, { kind: 'chat' }, { a: 1 }, 'ok', 'chat', 1];
const TIMES = ['2026-03-14T12:00:00.000Z', '2026-03-14T12:00:00Z', '2026-03-14T12:00:00+01:00', '2026-03-14T12:00Z', '2026-02-29T00:00:00Z', '2028-02-29T00:00:00Z', '2026-03-14 12:00:00Z', '2026-03-14T12:00:00', '2026-13-01T00:00:00Z', 'yesterday'];

describe('isLedgerRecord', () => {
  it('gives zod\'s verdict on a complete record with each field removed or replaced by each kind of wrong value', () => {
    const record = full();
    assert.equal(isLedgerRecord(record), true);
    let checked = 0;
    const disagreements: string[] = [];
    for (const path of paths(record)) {
      for (const replacement of REPLACEMENTS) {
        const candidate = withValue(record, path, replacement);
        const zod = ledgerRecordSchema.safeParse(candidate).success;
        checked += 1;
        if (isLedgerRecord(candidate) !== zod) disagreements.push(`${path.join('.')} = ${String(replacement)}: zod says ${zod}`);
      }
    }
    for (const time of TIMES) {
      const candidate = withValue(record, ['time'], time);
      const zod = ledgerRecordSchema.safeParse(candidate).success;
      checked += 1;
      if (isLedgerRecord(candidate) !== zod) disagreements.push(`time = ${time}: zod says ${zod}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(checked > 900, `only ${checked} cases`);
  });

  it('refuses what is not a record at all', () => {
    for (const value of [null, undefined, 'text', 1, [], [full()]]) {
      assert.equal(isLedgerRecord(value), false, JSON.stringify(value));
      assert.equal(ledgerRecordSchema.safeParse(value).success, false);
    }
  });
});
