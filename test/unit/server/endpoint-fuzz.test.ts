import assert from 'node:assert/strict';
import { Pool } from 'undici';
import { startTestEndpoint, type RunningEndpoint } from '../../support/endpoint-harness';
import { createEndpointTestEngine } from '../../support/endpoint-test-engine';

/** A small seeded PRNG (mulberry32): the same 10,000 bodies every run, so a failure reproduces. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELD_NAMES = [
  'model', 'messages', 'input', 'role', 'content', 'type', 'text', 'tools', 'tool_choice', 'stream', 'max_tokens', 'temperature',
  'image_url', 'url', 'source', 'data', 'media_type', 'tool_calls', 'function', 'arguments', 'name', 'system', 'thinking',
  'budget_tokens', 'models', 'provider', 'route', 'response_format', 'json_schema', 'tool_use_id', 'call_id', 'output', '__proto__', 'constructor',
];

const SEEDS: Array<{ path: string; body: unknown }> = [
  { path: '/v1/chat/completions', body: { model: 'perpetuo/auto', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }], response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } } },
  { path: '/v1/responses', body: { model: 'perpetuo/auto', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'https://x.test/a.png' }] }, { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c', output: 'r' }], tools: [{ type: 'function', name: 'f', parameters: {} }], text: { format: { type: 'json_schema', name: 'n', schema: {} } } } },
  { path: '/v1/messages', body: { model: 'perpetuo/auto', max_tokens: 10, system: [{ type: 'text', text: 's' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA' } }, { type: 'document', source: { type: 'text', data: 'doc' } }] }, { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'r' }] }], thinking: { type: 'enabled', budget_tokens: 2000 } } },
  { path: '/v1/messages/count_tokens', body: { model: 'perpetuo/auto', messages: [{ role: 'user', content: 'hi' }] } },
];

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return random() < 0.5;
    case 2: return [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 0.5, 3][Math.floor(random() * 7)];
    case 3: return ['', 'x', 'user', 'assistant', 'tool', 'text', 'image_url', 'data:image/png;base64,', 'file:///etc/passwd', '\u0000\ud800', 'é'.repeat(50)][Math.floor(random() * 11)];
    case 4: return FIELD_NAMES[Math.floor(random() * FIELD_NAMES.length)];
    case 5: return 'z'.repeat(Math.floor(random() * 2000));
    case 6: return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const size = Math.floor(random() * 5);
      for (let i = 0; i < size; i++) object[FIELD_NAMES[Math.floor(random() * FIELD_NAMES.length)] ?? 'k'] = randomValue(random, depth + 1);
      return object;
    }
  }
}

/** Replaces, deletes or retypes one randomly chosen spot of a valid body. */
function mutate(random: () => number, value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || random() < 0.15 * depth) {
    return randomValue(random, depth);
  }
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const key = keys[Math.floor(random() * keys.length)];
  if (key === undefined) return randomValue(random, depth);
  const action = random();
  if (action < 0.15 && !Array.isArray(copy)) {
    delete copy[key];
  } else if (action < 0.25 && !Array.isArray(copy)) {
    copy[FIELD_NAMES[Math.floor(random() * FIELD_NAMES.length)] ?? 'k'] = randomValue(random, depth + 1);
  } else {
    (copy as Record<string, unknown>)[key] = mutate(random, (copy as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}

describe('endpoint fuzzing', () => {
  let endpoint: RunningEndpoint;
  let pool: Pool;

  before(async () => {
    endpoint = await startTestEndpoint(createEndpointTestEngine(), { limits: { requestsPerMinute: 1e9, maxConcurrentPerToken: 1e6 } });
    pool = new Pool(endpoint.url, { connections: 16 });
  });
  after(async () => {
    await pool.close();
    await endpoint.close();
  });

  it('answers 10,000 fuzzed bodies without a crash, always with a status and, for errors, a JSON body', async function () {
    this.timeout(120_000);
    const random = createRandom(20261122);
    const statuses = new Map<number, number>();
    const TOTAL = 10_000;
    const PARALLEL = 32;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const index = next++;
        const seed = SEEDS[index % SEEDS.length];
        assert.ok(seed);
        const roll = random();
        const text =
          roll < 0.05
            ? JSON.stringify(randomValue(random, 0)).slice(0, Math.floor(random() * 200)) // truncated or bare JSON
            : roll < 0.15
              ? JSON.stringify(randomValue(random, 0))
              : JSON.stringify(mutate(random, mutate(random, seed.body)));
        const reply = await pool.request({
          method: 'POST',
          path: seed.path,
          headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
          body: text ?? 'undefined',
        });
        const body = await reply.body.text();
        statuses.set(reply.statusCode, (statuses.get(reply.statusCode) ?? 0) + 1);
        const type = String(reply.headers['content-type']);
        const context = `#${index} ${seed.path} ${reply.statusCode}: ${text?.slice(0, 300)} -> ${body.slice(0, 300)}`;
        assert.ok(reply.statusCode < 500, context);
        if (reply.statusCode === 200 && type.startsWith('text/event-stream')) continue;
        assert.ok(type.startsWith('application/json'), context);
        const parsed = JSON.parse(body) as Record<string, unknown>;
        if (reply.statusCode !== 200) assert.ok('error' in parsed, context);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    assert.equal([...statuses.values()].reduce((sum, count) => sum + count, 0), TOTAL);
    // Both outcomes must occur, or the fuzzer is not reaching past validation.
    assert.ok((statuses.get(200) ?? 0) > 100, JSON.stringify([...statuses]));
    assert.ok((statuses.get(400) ?? 0) > 1000, JSON.stringify([...statuses]));
    const health = await pool.request({ method: 'GET', path: '/health' });
    assert.equal(health.statusCode, 200);
    await health.body.text();
  });
});
