/**
 * The localhost endpoint under load, beside two baselines in the same run: a fake upstream on
 * 127.0.0.1 answering a small chat completion, called (1) directly, (2) through a minimal
 * pass-through Node proxy (an undici Pool, no parsing), and (3) through Perpetuo's endpoint.
 * autocannon at 1, 16 and 64 connections, rounds interleaved, median of the rounds. autocannon
 * records latency in whole milliseconds, so Perpetuo's added p50 and the p99 ratio at one
 * connection are measured separately with a sequential client timed by performance.now(), in a
 * worker thread as autocannon is. Then the streamed relay rate:
 * text parts through the endpoint's SSE path, counted at the client. Perpetuo's side runs from an
 * esbuild bundle built as `dist/cli.js` is (`loadShippedBundle`).
 *
 * Which engine serves Perpetuo's side is one switch, PERPETUO_BENCH_ENGINE:
 *   real     (default) buildEngineFromConfig(), the engine `perpetuo serve` runs: planner,
 *            a daily budget on the bench app (reserved and settled on every request), ledger
 *            on disk, the real OpenAI-compatible adapter;
 *   adapter  core's OpenAI-compatible adapter against the fake upstream, behind a one-target
 *            engine (no planning, guardrails or ledger): locates the cost between the layers;
 *   scripted the test engine: no upstream call at all (the endpoint's own cost only).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import type { RoutingEngine, ServedTarget } from '../src/core/engine/routed-call';
import type * as ProviderRegistryModule from '../src/core/providers/provider-registry';
import type * as SpecModule from '../src/core/spec';
import type { ChatStreamPart } from '../src/core/spec';
import type * as BuildEngineModule from '../src/server/build-engine-from-config';
import type * as EndpointServerModule from '../src/server/create-endpoint-server';
import type * as EndpointTokenModule from '../src/server/generate-endpoint-token';
import type * as TestEngineModule from '../test/support/endpoint-test-engine';
import type * as ServeConfigModule from '../test/support/headless-serve-config';
import type { BenchResult } from './bench-result';
import { loadShippedBundle } from './load-shipped-bundle';

type Shipped = Pick<typeof ProviderRegistryModule, 'driverFor'> &
  Pick<typeof SpecModule, 'isContentPart'> &
  Pick<typeof BuildEngineModule, 'buildEngineFromConfig'> &
  Pick<typeof EndpointServerModule, 'createEndpointServer'> &
  Pick<typeof EndpointTokenModule, 'generateEndpointToken'> &
  Pick<typeof TestEngineModule, 'createEndpointTestEngine' | 'finishPart'> &
  Pick<typeof ServeConfigModule, 'headlessServeConfig'>;

/** Perpetuo's side as it ships (see `loadShippedBundle`); the test engine and config helper come along, so one copy of each module serves all three engines. */
const loadShipped = (): Promise<Shipped> =>
  loadShippedBundle<Shipped>('endpoint', [
    "export { driverFor } from './src/core/providers/provider-registry';",
    "export { isContentPart } from './src/core/spec';",
    "export { buildEngineFromConfig } from './src/server/build-engine-from-config';",
    "export { createEndpointServer } from './src/server/create-endpoint-server';",
    "export { generateEndpointToken } from './src/server/generate-endpoint-token';",
    "export { createEndpointTestEngine, finishPart } from './test/support/endpoint-test-engine';",
    "export { headlessServeConfig } from './test/support/headless-serve-config';",
  ]);

let shipped: Shipped;

const DURATION_S = 2;
const ROUNDS = 3;
const CONNECTIONS = [1, 16, 64] as const;
const SEQUENTIAL_REQUESTS = 1500;
const TTFT_REQUESTS = 1000;
const RELAY_CHUNKS = 50_000;

const requestBody = (model: string): string => JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 16 });
const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
});
const STREAM = [
  { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello there!' }, finish_reason: null }] },
  { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } },
]
  .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  .concat('data: [DONE]\n\n')
  .join('');

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A provider stand-in in its own worker thread (the machine may have two cores, and an upstream
 * sharing the endpoint's event loop would bill its work to the endpoint): JSON for plain
 * requests, a short SSE answer when asked to stream.
 */
async function startFakeUpstream(): Promise<{ url: string; stop: () => Promise<number> }> {
  const source = `
    const { createServer } = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const server = createServer((request, response) => {
      const chunks = [];
      request.on('data', (chunk) => chunks.push(chunk));
      request.on('end', () => {
        if (Buffer.concat(chunks).toString('utf8').includes('"stream":true')) {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.end(workerData.stream);
        } else {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(workerData.json)) });
          response.end(workerData.json);
        }
      });
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  `;
  const worker = new Worker(source, { eval: true, workerData: { json: COMPLETION, stream: STREAM } });
  const [port] = (await once(worker, 'message')) as [number];
  return { url: `http://127.0.0.1:${port}`, stop: () => worker.terminate() };
}

/**
 * The baseline any gateway is measured against: forward the bytes, parse nothing. Bodies are
 * buffered and sent with their length, as a JSON gateway must (a chunked re-upload would meet
 * Nagle and delayed ACKs and make the baseline look slower than it is).
 */
function createPassThroughProxy(upstream: string): { server: Server; pool: Pool } {
  const pool = new Pool(upstream, { connections: 128 });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      pool
        .request({ method: 'POST', path: request.url ?? '/', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
        .then(async (reply) => {
          const body = Buffer.from(await reply.body.arrayBuffer());
          response.writeHead(reply.statusCode, { 'content-type': String(reply.headers['content-type'] ?? 'application/json'), 'content-length': String(body.length) });
          response.end(body);
        })
        .catch(() => response.destroy());
    });
  });
  return { server, pool };
}

/** Core's real OpenAI-compatible adapter behind the smallest engine that honours the contract. */
function createAdapterEngine(upstream: string): RoutingEngine {
  const model = shipped.driverFor('openai-compatible').createChatModel(
    { id: 'bench', kind: 'openai-compatible', preset: 'custom', baseUrl: `${upstream}/v1`, apiKey: 'bench-key-0123456789' },
    'bench-model',
    { dispatcher: new Pool(upstream, { connections: 128 }) },
  );
  const served: ServedTarget = { modelId: 'bench/model', provider: 'bench', upstreamModelId: 'bench-model', fallbacks: 0, reason: 'bench' };
  let next = 0;
  return {
    listModels: () => [],
    route(request, _options, signal) {
      const startedAt = performance.now();
      let committed = false;
      async function* stream(): AsyncGenerator<ChatStreamPart> {
        for await (const part of model.stream(request, signal)) {
          if (shipped.isContentPart(part)) committed = true;
          yield part;
        }
      }
      return {
        id: `bench-${++next}`,
        stream: stream(),
        served: () => (committed ? served : undefined),
        settled: new Promise(() => undefined),
        overheadMs: () => (committed ? 0 : undefined),
        ...{ startedAt },
      };
    },
  };
}

async function selectEngine(upstream: string): Promise<{ engine: RoutingEngine; label: string; model: string; dispose: () => Promise<void> }> {
  const which = process.env.PERPETUO_BENCH_ENGINE ?? 'real';
  const none = (): Promise<void> => Promise.resolve();
  if (which === 'scripted') {
    return { engine: shipped.createEndpointTestEngine(), label: 'scripted test engine (no upstream call)', model: 'bench/model', dispose: none };
  }
  if (which === 'real') {
    const stateDir = mkdtempSync(join(tmpdir(), 'perpetuo-bench-'));
    // A budget the bench never reaches, so every request pays for its reservation and settlement
    // as a user with a budget does (without one, the request path skips the budget journal).
    const guardrailsFile = join(stateDir, 'policy.json');
    writeFileSync(guardrailsFile, JSON.stringify({ guardrails: { apps: { bench: { budget: { amountUsd: 1_000_000, period: 'daily' } } } } }));
    const headless = await shipped.buildEngineFromConfig(
      shipped.headlessServeConfig({
        // A priced model of the catalog (OpenAI's preset, its base URL moved to the fake upstream), so
        // that every request reserves and settles a real amount, as a paying user's does.
        providers: [{ id: 'openai', kind: 'openai-compatible', preset: 'openai', baseUrl: `${upstream}/v1`, apiKey: 'bench-key-0123456789' }],
        guardrailsFile,
        ledgerDir: join(stateDir, 'ledger'),
      }),
    );
    const model = 'openai/gpt-4o-mini';
    return {
      engine: headless.engine,
      label: 'real engine (buildEngineFromConfig: planner, a daily budget on the app, ledger on disk; openai/gpt-4o-mini, priced)',
      model,
      dispose: async () => {
        await headless.dispose();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  }
  return { engine: createAdapterEngine(upstream), label: "core's OpenAI-compatible adapter, one-target engine", model: 'bench/model', dispose: none };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface LoadFigures {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/** The part of autocannon's API used here (it ships no types). */
type Autocannon = (options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
  workers: number;
}) => Promise<{ latency: { p50: number; p99: number }; requests: { average: number }; errors: number; non2xx: number; timeouts: number }>;

async function load(url: string, connections: number, headers: Record<string, string>, body: string): Promise<LoadFigures> {
  const { default: autocannon } = (await import('autocannon' as string)) as { default: Autocannon };
  const result = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    duration: DURATION_S,
    // The load generator runs in its own thread, off the event loop it measures.
    workers: 1,
  });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx + result.timeouts };
}

/**
 * The sequential client, in a worker thread of its own like autocannon's: on the main thread it
 * would share the event loop with the endpoint it measures (and not with the direct target, whose
 * server is a worker), so its own parsing would be billed to Perpetuo and to the proxy only.
 */
const SEQUENTIAL_CLIENT = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { performance } = require('node:perf_hooks');
  const { Pool } = require(workerData.undici);
  (async () => {
    const { url, headers, body, requests, mode } = workerData;
    const pool = new Pool(url, { connections: 1 });
    const times = [];
    for (let i = 0; i < requests; i++) {
      const start = performance.now();
      const reply = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', ...headers }, body });
      if (reply.statusCode !== 200) throw new Error('status ' + reply.statusCode + ' from ' + url + ': ' + (await reply.body.text()));
      if (mode === 'complete') {
        await reply.body.text();
        times.push(performance.now() - start);
        continue;
      }
      // Time to the first SSE chunk that carries text (the fake upstream sends its whole answer at once).
      let seen = '';
      let first;
      for await (const chunk of reply.body) {
        seen += String(chunk);
        if (first === undefined && seen.includes('"content":"Hello there!"')) first = performance.now() - start;
      }
      if (first === undefined) throw new Error('no content from ' + url);
      times.push(first);
    }
    await pool.close();
    parentPort.postMessage(times);
  })().catch((error) => { throw error; });
`;

/** Percentiles of requests timed one by one, after the first 100 (JIT, pools); `mode` says what is timed. */
async function sequentialTimes(mode: 'complete' | 'first-token', url: string, headers: Record<string, string>, body: string): Promise<{ p50: number; p99: number }> {
  const requests = mode === 'complete' ? SEQUENTIAL_REQUESTS : TTFT_REQUESTS;
  const worker = new Worker(SEQUENTIAL_CLIENT, { eval: true, workerData: { url, headers, body, requests, mode, undici: require.resolve('undici') } });
  const failed = once(worker, 'error').then(([error]) => Promise.reject(error as Error));
  const [times] = (await Promise.race([once(worker, 'message'), failed])) as [number[]];
  await worker.terminate();
  const timed = times.slice(100).sort((a, b) => a - b);
  return { p50: median(timed), p99: timed[Math.ceil(timed.length * 0.99) - 1] ?? Number.NaN };
}

/** Sequential requests timed one by one: sub-millisecond resolution autocannon lacks. */
const sequentialLatency = (url: string, headers: Record<string, string>, body: string): Promise<{ p50: number; p99: number }> => sequentialTimes('complete', url, headers, body);

/** Time to the first content byte of a streamed answer, sequential requests timed one by one. */
const sequentialTtft = async (url: string, headers: Record<string, string>, body: string): Promise<number> => (await sequentialTimes('first-token', url, headers, body)).p50;

/** Text parts per second through the endpoint's SSE relay, counted when the client has them all. */
async function relayRate(): Promise<number> {
  const deltas: ChatStreamPart[] = Array.from({ length: RELAY_CHUNKS }, () => ({ type: 'text-delta', delta: 'tok ' }));
  const engine = shipped.createEndpointTestEngine({ script: () => [...deltas, shipped.finishPart()] });
  const token = shipped.generateEndpointToken();
  const server = shipped.createEndpointServer({ engine, tokens: [{ name: 'bench', token }], port: 0, logger: { info() {}, warn() {}, error() {} }, limits: { requestsPerMinute: 1e9 } });
  const { port } = await server.listen();
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 1 });
  const rates: number[] = [];
  try {
    // Round 0 warms the JIT and is not counted.
    for (let round = 0; round < 4; round++) {
      const start = performance.now();
      const reply = await pool.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }),
      });
      const text = await reply.body.text();
      const seconds = (performance.now() - start) / 1000;
      const received = text.split('"content":"tok "').length - 1;
      if (received !== RELAY_CHUNKS) throw new Error(`relay lost parts: ${received} of ${RELAY_CHUNKS}`);
      if (round > 0) rates.push(RELAY_CHUNKS / seconds);
    }
  } finally {
    await pool.close();
    await server.close();
  }
  return median(rates);
}

export async function run(): Promise<BenchResult[]> {
  shipped = await loadShipped();
  const fakeUpstream = await startFakeUpstream();
  const upstream = fakeUpstream.url;
  const proxy = createPassThroughProxy(upstream);
  const proxyUrl = await listen(proxy.server);
  const { engine, label, model, dispose } = await selectEngine(upstream);
  const token = shipped.generateEndpointToken();
  const endpoint = shipped.createEndpointServer({
    engine,
    tokens: [{ name: 'bench', token }],
    port: 0,
    logger: { info() {}, warn() {}, error() {} },
    limits: { requestsPerMinute: 1e9, maxConcurrentPerToken: 1e6 },
  });
  const { port } = await endpoint.listen();
  const plain = requestBody('bench/model');
  const routed = requestBody(model);
  const targets: Array<{ name: string; url: string; headers: Record<string, string>; body: string }> = [
    { name: 'direct', url: upstream, headers: {}, body: plain },
    { name: 'proxy', url: proxyUrl, headers: {}, body: plain },
    { name: 'perpetuo', url: `http://127.0.0.1:${port}`, headers: { authorization: `Bearer ${token}` }, body: routed },
  ];
  const results: BenchResult[] = [];
  try {
    // Warm-up: JIT, connection pools.
    for (const target of targets) await load(target.url, 16, target.headers, target.body);
    const rounds = new Map<string, LoadFigures[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const connections of CONNECTIONS) {
        for (const target of targets) {
          const key = `${target.name}@${connections}`;
          rounds.set(key, [...(rounds.get(key) ?? []), await load(target.url, connections, target.headers, target.body)]);
        }
      }
    }
    const figure = (name: string, connections: number, pick: (figures: LoadFigures) => number): number => median((rounds.get(`${name}@${connections}`) ?? []).map(pick));
    for (const connections of CONNECTIONS) {
      for (const target of targets) {
        const errors = (rounds.get(`${target.name}@${connections}`) ?? []).reduce((sum, figures) => sum + figures.errors, 0);
        const notes = errors > 0 ? `${errors} errors/non-2xx` : undefined;
        results.push({ name: `${target.name} p50 @${connections} conn`, value: figure(target.name, connections, (f) => f.p50), unit: 'ms', ...(notes ? { notes } : {}) });
        results.push({ name: `${target.name} p99 @${connections} conn`, value: figure(target.name, connections, (f) => f.p99), unit: 'ms' });
        results.push({ name: `${target.name} req/s @${connections} conn`, value: Math.round(figure(target.name, connections, (f) => f.rps)), unit: 'req/s' });
      }
      // At one connection the p99s are a few milliseconds at most, where autocannon's whole
      // milliseconds decide the ratio (a proxy p99 of 0 ms was divided as 1): that ratio comes
      // from the sequential client below.
      if (connections > 1) {
        const ratio = figure('perpetuo', connections, (f) => f.p99) / Math.max(1, figure('proxy', connections, (f) => f.p99));
        results.push({ name: `perpetuo p99 / proxy p99 @${connections} conn`, value: Number(ratio.toFixed(2)), unit: '×', goal: '≤ 2', pass: ratio <= 2, notes: 'autocannon latency is in whole ms' });
      }
    }
    const rpsShare = figure('perpetuo', 64, (f) => f.rps) / figure('proxy', 64, (f) => f.rps);
    results.push({ name: 'perpetuo req/s as share of proxy @64 conn', value: Number((rpsShare * 100).toFixed(1)), unit: '%', goal: '≥ 80', pass: rpsShare >= 0.8, notes: label });

    // Interleaved sequential rounds for the added latency at one connection. The scripted endpoint
    // answers without any upstream call: its time over a direct call is the endpoint's own share
    // (validate, translate, route, encode), apart from the engine and adapter behind it.
    const scripted = shipped.createEndpointServer({ engine: shipped.createEndpointTestEngine({ script: () => [{ type: 'text-delta', delta: 'Hello there!' }, shipped.finishPart()] }), tokens: [{ name: 'bench', token }], port: 0, logger: { info() {}, warn() {}, error() {} }, limits: { requestsPerMinute: 1e9 } });
    const scriptedPort = (await scripted.listen()).port;
    const direct: number[] = [];
    const through: number[] = [];
    const own: number[] = [];
    const proxied: number[] = [];
    const throughP99: number[] = [];
    const proxiedP99: number[] = [];
    const directTtft: number[] = [];
    const throughTtft: number[] = [];
    const streamed = (body: string): string => JSON.stringify({ ...(JSON.parse(body) as object), stream: true });
    for (let round = 0; round < ROUNDS; round++) {
      direct.push((await sequentialLatency(upstream, {}, plain)).p50);
      const perpetuo = await sequentialLatency(`http://127.0.0.1:${port}`, { authorization: `Bearer ${token}` }, routed);
      through.push(perpetuo.p50);
      throughP99.push(perpetuo.p99);
      own.push((await sequentialLatency(`http://127.0.0.1:${scriptedPort}`, { authorization: `Bearer ${token}` }, plain)).p50);
      const proxy = await sequentialLatency(proxyUrl, {}, plain);
      proxied.push(proxy.p50);
      proxiedP99.push(proxy.p99);
      directTtft.push(await sequentialTtft(upstream, {}, streamed(plain)));
      throughTtft.push(await sequentialTtft(`http://127.0.0.1:${port}`, { authorization: `Bearer ${token}` }, streamed(routed)));
    }
    await scripted.close();
    const added = median(through) - median(direct);
    results.push({ name: 'perpetuo added p50 over direct @1 conn (sequential, performance.now)', value: Number(added.toFixed(3)), unit: 'ms', goal: '≤ 0.3', pass: added <= 0.3, notes: `direct p50 ${median(direct).toFixed(3)} ms; ${label}` });
    const endpointOwn = median(own) - median(direct);
    results.push({ name: "endpoint's own share of it: scripted engine, no upstream, over direct @1 conn", value: Number(endpointOwn.toFixed(3)), unit: 'ms', notes: 'endpoint alone: auth, zod, translation, encoding, one HTTP hop less than the line above' });
    const p99Ratio = median(throughP99) / median(proxiedP99);
    results.push({
      name: 'perpetuo p99 / proxy p99 @1 conn (sequential, performance.now)',
      value: Number(p99Ratio.toFixed(2)),
      unit: '×',
      goal: '≤ 2',
      pass: p99Ratio <= 2,
      notes: `perpetuo p99 ${median(throughP99).toFixed(3)} ms, proxy p99 ${median(proxiedP99).toFixed(3)} ms; median of ${ROUNDS} rounds of ${SEQUENTIAL_REQUESTS - 100} requests`,
    });
    const proxyAdded = median(proxied) - median(direct);
    results.push({ name: 'minimal proxy added p50 over direct @1 conn (reference: one more HTTP hop, nothing parsed)', value: Number(proxyAdded.toFixed(3)), unit: 'ms' });
    const ttftAdded = median(throughTtft) - median(directTtft);
    results.push({
      name: 'perpetuo added time to first token over direct @1 conn (streamed, sequential)',
      value: Number(ttftAdded.toFixed(3)),
      unit: 'ms',
      goal: '≤ 1',
      pass: ttftAdded <= 1,
      notes: `direct ${median(directTtft).toFixed(3)} ms to the first content chunk; ${label}`,
    });
  } finally {
    await endpoint.close();
    await dispose();
    proxy.server.closeAllConnections();
    proxy.server.close();
    await proxy.pool.close();
    await fakeUpstream.stop();
  }
  const rate = await relayRate();
  results.push({ name: 'streamed chunks relayed (text parts → SSE, one stream)', value: Math.round(rate), unit: 'chunks/s', goal: '≥ 50000', pass: rate >= 50_000 });
  return results;
}
