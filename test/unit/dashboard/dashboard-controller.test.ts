import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger } from '../../../src/core/ledger/open-ledger';
import type { LedgerRecord } from '../../../src/core/ledger/ledger-record';
import type { HostToWebview, QueryResponse } from '../../../src/shared/webview-protocol';
import { DashboardController } from '../../../src/vscode/dashboard/dashboard-controller';
import type { DashboardDataSource, DashboardLedgerRecord } from '../../../src/vscode/dashboard/dashboard-data-source';
import { TEST_NOW, createTestSource } from '../../browser/fake-dashboard-host';
import { generateLedgerRecords } from '../../browser/generate-ledger-records';

function harness(source: DashboardDataSource) {
  const posted: HostToWebview[] = [];
  const warnings: string[] = [];
  const controller = new DashboardController((m) => posted.push(m), source, { version: '1.2.3', theme: () => 'light', warn: (w) => warnings.push(w) });
  const ask = async (message: Record<string, unknown>) => {
    await controller.handle(message);
    const last = posted.at(-1);
    assert.ok(last && last.type === 'response');
    return last as QueryResponse;
  };
  return { controller, posted, warnings, ask };
}

describe('DashboardController', () => {
  it('ignores unknown messages with a warning, and answers a malformed query with an error', async () => {
    const { controller, posted, warnings, ask } = harness(createTestSource(10));
    await controller.handle({ type: 'drop-tables' });
    await controller.handle('ready');
    assert.equal(posted.length, 0);
    assert.equal(warnings.length, 2);
    const tooBig = await ask({ type: 'query-records', requestId: 4, filters: { range: 'all' }, offset: 0, limit: 100_000 });
    assert.deepEqual(tooBig, { type: 'response', requestId: 4, query: 'query-records', ok: false, error: 'The dashboard sent a malformed request.' });
    const badRange = await ask({ type: 'query-summary', requestId: 5, range: 'forever' });
    assert.equal(badRange.ok, false);
  });

  it('answers ready with init, then a reveal that was asked for before it', async () => {
    const { controller, posted } = harness(createTestSource(10));
    controller.revealDecision('dec-000003');
    assert.equal(posted.length, 0);
    await controller.handle({ type: 'ready' });
    assert.deepEqual(posted, [
      { type: 'init', version: '1.2.3', theme: 'light' },
      { type: 'reveal-decision', id: 'dec-000003' },
    ]);
  });

  it('pages records with the range resolved on its clock and every filter passed on', async () => {
    const source = createTestSource(500);
    const { ask } = harness(source);
    const response = await ask({ type: 'query-records', requestId: 1, filters: { range: 'today', provider: 'openai', text: '  hang ' }, offset: 2, limit: 3 });
    assert.ok(response.ok && response.query === 'query-records');
    assert.deepEqual(source.searchCalls.at(-1), { fromMs: new Date(2026, 2, 18).getTime(), provider: 'openai', text: 'hang', offset: 2, limit: 3 });
    const expected = source.filter({ fromMs: new Date(2026, 2, 18).getTime(), provider: 'openai', text: 'hang' });
    assert.equal(response.result.total, expected.length);
    assert.deepEqual(
      response.result.rows.map((row) => row.id),
      expected.slice(2, 5).map((record) => record.id),
    );
    assert.equal(response.result.rows[0]?.errorKind, expected[2]?.error?.kind);
  });

  it('locates a record among others of the same millisecond, and not outside the filters', async () => {
    const records = generateLedgerRecords(30, TEST_NOW);
    for (const record of records.slice(10, 20)) record.time = new Date(TEST_NOW - 5000).toISOString();
    const source = createTestSource(0, records);
    const { ask } = harness(source);
    for (const id of ['dec-000012', 'dec-000025', 'dec-000000']) {
      const response = await ask({ type: 'query-locate', requestId: 1, filters: { range: 'all' }, id });
      assert.ok(response.ok && response.query === 'query-locate');
      assert.equal(response.result.index, source.filter({}).findIndex((record) => record.id === id), id);
    }
    const outside = await ask({ type: 'query-locate', requestId: 2, filters: { range: 'hour' }, id: 'dec-000000' });
    assert.ok(outside.ok && outside.query === 'query-locate');
    assert.equal(outside.result.index, null);
  });

  it('turns a stored decision into kept and rejected candidates and attempts; shows what it cannot read as raw JSON', async () => {
    const records = generateLedgerRecords(9, TEST_NOW);
    const odd = records[0] as DashboardLedgerRecord;
    odd.decision = { strategy: 'v0', picked: ['a', 'b'] };
    const { ask } = harness(createTestSource(0, records));
    const response = await ask({ type: 'query-decision', requestId: 1, id: 'dec-000008' });
    assert.ok(response.ok && response.query === 'query-decision' && response.result);
    const detail = response.result;
    assert.equal(detail.plan?.targets.length, 2);
    assert.deepEqual(detail.plan?.rejected[0], { modelId: 'openai/gpt-4.1', provider: 'openai', reason: 'context-length', detail: detail.plan?.rejected[0]?.detail });
    assert.match(detail.plan?.rejected[0]?.detail ?? '', /window is 128,000/);
    assert.equal(detail.attempts[0]?.modelId, detail.plan?.targets[0]?.modelId);
    assert.deepEqual([detail.attempts[0]?.outcome, detail.attempts[0]?.error, detail.attempts[0]?.latencyMs], ['error', { kind: 'rate-limit', message: '429 Too Many Requests: retry after 20 s' }, 310]);
    assert.equal(detail.attempts[1]?.outcome, 'ok');
    assert.equal(detail.rawDecision, undefined);

    const raw = await ask({ type: 'query-decision', requestId: 2, id: 'dec-000000' });
    assert.ok(raw.ok && raw.query === 'query-decision' && raw.result);
    assert.equal(raw.result.plan, null);
    assert.match(raw.result.rawDecision ?? '', /"picked"/);
    const missing = await ask({ type: 'query-decision', requestId: 3, id: 'nope' });
    assert.ok(missing.ok && missing.query === 'query-decision');
    assert.equal(missing.result, null);
  });

  it('summarises periods against their budgets and lists every filter value', async () => {
    const source = createTestSource(2000);
    const { ask } = harness(source);
    const response = await ask({ type: 'query-summary', requestId: 1, range: 'week' });
    assert.ok(response.ok && response.query === 'query-summary');
    const summary = response.result;
    assert.deepEqual(
      summary.periods.map((p) => [p.period, p.budgets.map((b) => b.id)]),
      [
        ['daily', ['global-daily']],
        ['weekly', ['global-weekly']],
        ['monthly', ['app-aider-monthly']],
      ],
    );
    const today = source.filter({ fromMs: new Date(2026, 2, 18).getTime() });
    assert.equal(summary.periods[0]?.requests, today.length);
    assert.ok(Math.abs((summary.periods[0]?.spentUsd ?? 0) - today.reduce((sum, r) => sum + r.cost.chargedUsd, 0)) < 1e-9);
    assert.equal(summary.totalRequests, 2000);
    assert.deepEqual(summary.facets.providers, ['anthropic', 'deepseek', 'gemini', 'groq', 'openai']);
    assert.ok(summary.facets.sources.includes('endpoint:aider'));
    const weekRequests = summary.byProvider.reduce((sum, g) => sum + g.requests, 0);
    assert.equal(weekRequests, source.filter({ fromMs: new Date(2026, 2, 16).getTime() }).length);
  });

  it('reports a data source failure as an error response and a warning', async () => {
    const source = createTestSource(10);
    source.failure = 'EACCES: ledger-2026-03.jsonl';
    const { ask, warnings } = harness(source);
    const response = await ask({ type: 'query-budgets', requestId: 9 });
    assert.deepEqual(response, { type: 'response', requestId: 9, query: 'query-budgets', ok: false, error: 'EACCES: ledger-2026-03.jsonl' });
    assert.equal(warnings.length, 1);
  });

  it('passes export and open-settings to the data source', async () => {
    const source = createTestSource(40);
    const { controller, ask } = harness(source);
    const response = await ask({ type: 'export', requestId: 1, format: 'json', filters: { range: 'all', outcome: 'error' } });
    assert.ok(response.ok && response.query === 'export');
    assert.deepEqual(source.exportCalls, [{ format: 'json', filters: { outcome: 'error' } }]);
    assert.equal(response.result.records, source.filter({ outcome: 'error' }).length);
    await controller.handle({ type: 'open-settings', query: 'perpetuo.budget' });
    assert.deepEqual(source.settingsCalls, ['perpetuo.budget']);
  });

  it('works over the real ledger: its records, search and aggregates fit the data source as they are', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'perpetuo-dashboard-'));
    try {
      const ledger = openLedger({ directory, now: () => TEST_NOW, pid: process.pid });
      const records = generateLedgerRecords(25, TEST_NOW, 3_600_000);
      for (const record of records) await ledger.append({ v: 1, ...record } as LedgerRecord);
      const fake = createTestSource(0);
      const source: DashboardDataSource = {
        ...fake,
        now: () => TEST_NOW,
        aggregate: (groupBy, fromMs, toMs) => ledger.aggregate(groupBy, fromMs, toMs),
        search: (query) => ledger.search(query),
        get: (id) => ledger.get(id),
        samples: (fromMs, toMs) => fake.samples(fromMs, toMs),
        budgets: () => [],
        baselineModels: () => [],
        exportRecords: () => ({ saved: false }),
        openSettings: () => undefined,
      };
      const { ask } = harness(source);
      const page = await ask({ type: 'query-records', requestId: 1, filters: { range: 'all', source: 'endpoint' }, offset: 0, limit: 5 });
      assert.ok(page.ok && page.query === 'query-records');
      const endpoint = records.filter((r) => r.source.kind === 'endpoint').reverse();
      assert.equal(page.result.total, endpoint.length);
      assert.deepEqual(page.result.rows.map((row) => row.id), endpoint.slice(0, 5).map((r) => r.id));
      const located = await ask({ type: 'query-locate', requestId: 2, filters: { range: 'all' }, id: 'dec-000020' });
      assert.ok(located.ok && located.query === 'query-locate');
      assert.equal(located.result.index, 4);
      const decision = await ask({ type: 'query-decision', requestId: 3, id: 'dec-000017' });
      assert.ok(decision.ok && decision.query === 'query-decision');
      assert.equal(decision.result?.plan?.rejected.length, 3);
      const summary = await ask({ type: 'query-summary', requestId: 4, range: 'all' });
      assert.ok(summary.ok && summary.query === 'query-summary');
      assert.equal(summary.result.totalRequests, 25);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
