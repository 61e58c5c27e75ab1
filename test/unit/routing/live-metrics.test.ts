import assert from 'node:assert/strict';
import { LiveMetrics } from '../../../src/core/routing/live-metrics';
import { LogHistogram } from '../../../src/core/routing/log-histogram';
import { MetricsFileStore, type MetricsFileSystem } from '../../../src/core/routing/metrics-file-store';
import type { MetricsSnapshot } from '../../../src/core/routing/metrics-snapshot';
import { planRoute } from '../../../src/core/routing/plan-route';
import { chat, endpoint, model } from './build-test-catalog';

const MINUTE = 60_000;

function within(actual: number | undefined, expected: number, tolerance = 0.05): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= expected * tolerance, `${actual} is not within ${tolerance * 100}% of ${expected}`);
}

/** A snapshot's contents: its endpoints map is a version of a versioned map, equal to another when their entries are, whatever history led to each. */
function contentsOf(snapshot: MetricsSnapshot): MetricsSnapshot {
  return { ...snapshot, endpoints: new Map(snapshot.endpoints) };
}

describe('LogHistogram', () => {
  it('reads percentiles back within ±5%', () => {
    const histogram = new LogHistogram();
    for (let value = 1; value <= 1_000; value++) histogram.record(value);
    within(histogram.percentile(0.5), 500);
    within(histogram.percentile(0.9), 900);
    within(histogram.percentile(0.99), 990);
    assert.equal(new LogHistogram().percentile(0.5), undefined);
  });

  it('reads several percentiles in one pass exactly as one at a time', () => {
    const histogram = new LogHistogram();
    for (let value = 1; value <= 777; value++) histogram.record(value ** 1.5 / 7, value % 3 === 0 ? 2 : 1);
    const fractions = [0, 0.01, 0.5, 0.75, 0.9, 0.99, 1];
    assert.deepEqual(histogram.percentiles(fractions), fractions.map((q) => histogram.percentile(q)));
    assert.deepEqual(new LogHistogram().percentiles([0.5]), []);
  });

  it('stays bounded whatever the number of samples', () => {
    const histogram = new LogHistogram();
    for (let index = 0; index < 100_000; index++) histogram.record(index * 7.3);
    assert.ok(histogram.toJSON().length < 330);
    assert.equal(histogram.count, 100_000);
  });
});

describe('LiveMetrics', () => {
  it('summarises TTFT, latency, throughput after the first token, and the error rate', () => {
    const now = 10 * MINUTE;
    const metrics = new LiveMetrics({ clock: () => now });
    for (let index = 0; index < 9; index++) {
      metrics.record('p/m', { at: now, ok: true, ttftMs: 400, durationMs: 2_400, outputTokens: 1_000 });
    }
    metrics.record('p/m', { at: now, ok: false, durationMs: 100 });
    const stats = metrics.snapshot().endpoints.get('p/m');
    assert.equal(stats?.recent.samples, 10);
    assert.equal(stats?.recent.errorRate, 0.1);
    within(stats?.recent.ttftMs?.p50, 400);
    within(stats?.recent.latencyMs?.p99, 2_400);
    // 1,000 tokens in the 2 s after the first token.
    within(stats?.recent.throughput?.p50, 500);
  });

  it('rolls: after 5 minutes a sample leaves the recent window, after an hour the snapshot', () => {
    let now = 100 * MINUTE;
    const metrics = new LiveMetrics({ clock: () => now });
    metrics.record('p/m', { at: now, ok: true, ttftMs: 100, durationMs: 200 });
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 1);
    now += 6 * MINUTE;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 0);
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.hour.samples, 1);
    now += 60 * MINUTE;
    assert.equal(metrics.snapshot().endpoints.has('p/m'), false);
  });

  it('reuses slots instead of growing, and forgets the least recently used endpoints beyond the cap', () => {
    let now = 0;
    const metrics = new LiveMetrics({ clock: () => now, maxEndpoints: 2 });
    for (let minute = 0; minute < 600; minute++) {
      now = minute * MINUTE;
      metrics.record('a/x', { at: now, ok: true, durationMs: 10 });
    }
    const saved = metrics.toJSON().endpoints['a/x'];
    assert.ok((saved?.recent.length ?? 0) <= 10 && (saved?.hour.length ?? 0) <= 12);
    metrics.record('b/x', { at: now, ok: true, durationMs: 10 });
    now += 1;
    metrics.record('c/x', { at: now, ok: true, durationMs: 10 });
    metrics.record('a/x', { at: now + 1, ok: true, durationMs: 10 });
    assert.deepEqual(Object.keys(metrics.toJSON().endpoints).sort(), ['a/x', 'c/x']);
  });

  it('round-trips through JSON, and rejects a file of the wrong shape with a config error', () => {
    let now = 30 * MINUTE;
    const metrics = new LiveMetrics({ clock: () => now });
    metrics.record('p/m', { at: now, ok: true, ttftMs: 250, durationMs: 1_000, outputTokens: 300 });
    metrics.record('p/m', { at: now, ok: false, durationMs: 50 });
    const restored = LiveMetrics.fromJSON(JSON.parse(JSON.stringify(metrics.toJSON())), { clock: () => now });
    assert.deepEqual(contentsOf(restored.snapshot()), contentsOf(metrics.snapshot()));
    now += 1;
    assert.throws(() => LiveMetrics.fromJSON({ version: 2, endpoints: {} }, { clock: () => now }), (error: { kind?: string; message?: string }) => error.kind === 'config' && /version/.test(error.message ?? ''));
  });

  it('returns the same snapshot until a call is recorded or the clock enters another slot', () => {
    let now = 100 * MINUTE + 1_000;
    const metrics = new LiveMetrics({ clock: () => now });
    metrics.record('p/m', { at: now, ok: true, ttftMs: 100, durationMs: 200 });
    metrics.record('q/n', { at: now, ok: true, ttftMs: 900, durationMs: 2_000 });
    const first = metrics.snapshot();
    now += 20_000;
    assert.equal(metrics.snapshot(), first, 'same 30 s slot, nothing recorded: the cached snapshot');
    metrics.record('p/m', { at: now, ok: false, durationMs: 50 });
    const second = metrics.snapshot();
    assert.notEqual(second, first);
    assert.equal(second.endpoints.get('p/m')?.recent.samples, 2);
    assert.equal(first.endpoints.get('p/m')?.recent.samples, 1, 'a snapshot handed out is never changed afterwards');
    assert.equal(second.endpoints.get('q/n'), first.endpoints.get('q/n'), 'an endpoint without new calls keeps its statistics');
    now += 10_000;
    assert.notEqual(metrics.snapshot(), second, 'a new slot: computed again');
    assert.deepEqual(contentsOf(metrics.snapshot()), contentsOf(second));
  });

  it('drops a sample at the exact slot boundary, even when a snapshot was cached just before it', () => {
    const start = 100 * MINUTE;
    let now = start;
    const metrics = new LiveMetrics({ clock: () => now });
    metrics.record('p/m', { at: start + 5_000, ok: true, ttftMs: 100, durationMs: 200 });
    // The sample's 30 s slot leaves the recent window once the window no longer reaches it: 5.5 minutes after the slot began.
    now = start + 330_000 - 1;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 1);
    now = start + 330_000;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 0);
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.hour.samples, 1);
    // Its 5-minute slot leaves the hour 65 minutes after that slot began.
    now = start + 65 * MINUTE - 1;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.hour.samples, 1);
    now = start + 65 * MINUTE;
    assert.equal(metrics.snapshot().endpoints.has('p/m'), false);
  });

  it('counts a sample stamped ahead of the clock once the clock reaches its slot', () => {
    let now = 100 * MINUTE;
    const metrics = new LiveMetrics({ clock: () => now });
    metrics.record('p/m', { at: now + 45_000, ok: true, durationMs: 200 });
    // Its 5-minute slot has begun (the hour counts it); its 30 s slot begins in 30 s.
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.hour.samples, 1);
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 0);
    now += 29_999;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 0);
    now += 1;
    assert.equal(metrics.snapshot().endpoints.get('p/m')?.recent.samples, 1);
  });

  it('caches nothing a fresh computation would not give, whatever the interleaving of calls and time', () => {
    let now = 7 * MINUTE;
    const metrics = new LiveMetrics({ clock: () => now, maxEndpoints: 3 });
    let state = 1;
    const random = (): number => {
      state = (state * 48_271) % 2_147_483_647;
      return state / 2_147_483_647;
    };
    for (let step = 0; step < 2_000; step++) {
      const roll = random();
      if (roll < 0.4) {
        metrics.record(`p/m${Math.floor(random() * 4)}`, { at: now - Math.floor(random() * 40_000), ok: random() < 0.9, ttftMs: random() * 1_000, durationMs: 500 + random() * 5_000, outputTokens: 200 });
      } else if (roll < 0.8) {
        now += Math.floor(random() * 20_000);
      } else if (roll < 0.83) {
        now += Math.floor(random() * 20 * MINUTE);
      }
      const fresh = LiveMetrics.fromJSON(metrics.toJSON(), { clock: () => now, maxEndpoints: 3 });
      assert.deepEqual(contentsOf(metrics.snapshot()), contentsOf(fresh.snapshot()), `step ${step}`);
    }
  });

  it('feeds the fastest strategy', () => {
    let now = 0;
    const metrics = new LiveMetrics({ clock: () => now });
    for (let index = 0; index < 10; index++) {
      metrics.record('slow/m', { at: now, ok: true, ttftMs: 3_000, durationMs: 13_000, outputTokens: 500 });
      metrics.record('quick/m', { at: now, ok: true, ttftMs: 300, durationMs: 2_300, outputTokens: 500 });
    }
    now += 1_000;
    const catalog = [model('x/y', [endpoint('slow', { upstreamModelId: 'm' }), endpoint('quick', { upstreamModelId: 'm' })])];
    const result = planRoute({ model: 'x/y', chat: chat('hi') }, catalog, new Set(['slow', 'quick']), { strategy: 'fastest' }, metrics.snapshot());
    assert.deepEqual(result.targets.map((target) => target.provider), ['quick', 'slow']);
  });
});

describe('MetricsFileStore', () => {
  function memoryFs(): MetricsFileSystem & { files: Map<string, string>; log: string[]; failRename?: boolean } {
    const files = new Map<string, string>();
    const log: string[] = [];
    const fs = {
      files,
      log,
      failRename: false,
      readFile: async (path: string) => {
        const content = files.get(path);
        if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return content;
      },
      writeFile: async (path: string, data: string) => {
        log.push(`write ${path}`);
        files.set(path, data);
      },
      rename: async (from: string, to: string) => {
        log.push(`rename ${from} → ${to}`);
        if (fs.failRename) throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
        files.set(to, files.get(from) ?? '');
        files.delete(from);
      },
      unlink: async (path: string) => {
        log.push(`unlink ${path}`);
        files.delete(path);
      },
    };
    return fs;
  }

  it('writes a temporary file and renames it over the target', async () => {
    const fs = memoryFs();
    const store = new MetricsFileStore({ path: '/s/metrics.json', fs, random: () => 0.5 });
    const metrics = new LiveMetrics({ clock: () => 0 });
    metrics.record('p/m', { at: 0, ok: true, durationMs: 5 });
    await store.save(metrics.toJSON());
    assert.deepEqual(fs.log, ['write /s/metrics.json.89oqgw.tmp', 'rename /s/metrics.json.89oqgw.tmp → /s/metrics.json']);
    assert.deepEqual([...fs.files.keys()], ['/s/metrics.json']);
    assert.deepEqual(await store.load(), metrics.toJSON());
  });

  it('loads nothing before the first save, names a corrupt file, and cleans up after a failed rename', async () => {
    const fs = memoryFs();
    const store = new MetricsFileStore({ path: '/s/metrics.json', fs, random: () => 0.25 });
    assert.equal(await store.load(), undefined);
    fs.files.set('/s/metrics.json', '{"version":1,');
    await assert.rejects(store.load(), (error: { kind?: string; message?: string }) => error.kind === 'config' && /\/s\/metrics\.json is not JSON/.test(error.message ?? ''));
    fs.failRename = true;
    await assert.rejects(store.save({ version: 1, endpoints: {} }));
    assert.deepEqual([...fs.files.keys()], ['/s/metrics.json']);
  });
});
