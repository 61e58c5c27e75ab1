/**
 * OpenRouter's public catalog endpoints (`/models`, `/models/{author}/{slug}/endpoints`,
 * `/endpoints/zdr`) on 127.0.0.1, replaying the JSON fixtures in test/fixtures/catalog. Built on
 * the shared fake upstream, so a test can still override any route (errors, garbage) and read
 * what was requested.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream';

const FIXTURES = join(__dirname, '../fixtures/catalog');

export function readCatalogFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown;
}

/** Starts the fake with the recorded catalog; `baseUrl` is what `fetchOpenRouterCatalog` takes. */
export async function startFakeOpenRouterCatalog(): Promise<FakeUpstream & { baseUrl: string }> {
  const upstream = await startFakeUpstream();
  upstream.on('GET /api/v1/models', { json: readCatalogFixture('openrouter-models.json') });
  upstream.on('GET /api/v1/models/anthropic/claude-sonnet-4.5/endpoints', { json: readCatalogFixture('openrouter-endpoints-claude-sonnet-4.5.json') });
  upstream.on('GET /api/v1/endpoints/zdr', { json: readCatalogFixture('openrouter-endpoints-zdr.json') });
  return Object.assign(upstream, { baseUrl: `${upstream.url}/api/v1` });
}
