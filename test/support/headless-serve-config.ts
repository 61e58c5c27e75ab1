import type { ServeConfig } from '../../src/server/load-serve-config';

/**
 * A `perpetuo serve` config as `loadServeConfig` would return it, for building the real engine in
 * a test or a bench: loopback, any port, the bundled catalog only, balanced routing, no tokens or
 * limits of its own (the harness's endpoint brings them), and whatever `config` sets.
 */
export function headlessServeConfig(config: Pick<ServeConfig, 'providers' | 'ledgerDir'> & Partial<ServeConfig>): ServeConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    listedModels: {},
    liveCatalog: false,
    strategy: 'balanced',
    guardrailsFile: undefined,
    tokens: [],
    limits: {},
    allowedOrigins: [],
    ...config,
  };
}
