/**
 * The endpoint on the real engine (`buildEngineFromConfig`, as `perpetuo serve` builds it) in front
 * of a fake upstream, with its ledger in a fresh temporary folder: the setup of every endpoint test
 * that must go through the planner, the adapters and the ledger rather than a scripted engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEngineFromConfig, type HeadlessEngine } from '../../src/server/build-engine-from-config';
import type { ServeConfig } from '../../src/server/load-serve-config';
import { startTestEndpoint, type RunningEndpoint } from './endpoint-harness';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream';
import { headlessServeConfig } from './headless-serve-config';

export interface RealEngineEndpoint {
  upstream: FakeUpstream;
  headless: HeadlessEngine;
  endpoint: RunningEndpoint;
  /** Where the engine writes its ledger. */
  ledgerDir: string;
  /** Stops the endpoint, flushes the engine, stops the upstream and removes the state folder. */
  close(): Promise<void>;
}

/** `config` gets the fake upstream's URL, to point the providers at it. */
export async function startRealEngineEndpoint(
  config: (upstreamUrl: string) => Pick<ServeConfig, 'providers'> & Partial<ServeConfig>,
  options: { app?: string } = {},
): Promise<RealEngineEndpoint> {
  const upstream = await startFakeUpstream();
  const stateDir = await mkdtemp(join(tmpdir(), 'perpetuo-endpoint-'));
  const ledgerDir = join(stateDir, 'ledger');
  const headless = await buildEngineFromConfig(headlessServeConfig({ ledgerDir, ...config(upstream.url) }));
  const endpoint = await startTestEndpoint(headless.engine, options);
  return {
    upstream,
    headless,
    endpoint,
    ledgerDir,
    async close() {
      await endpoint.close();
      await headless.dispose();
      await upstream.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
