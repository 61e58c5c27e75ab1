/**
 * Starts the endpoint on 127.0.0.1 with a fresh token for a test, and collects its log lines.
 */
import type { RoutingEngine } from '../../src/core/engine/routed-call';
import { createEndpointServer, type EndpointLimits } from '../../src/server/create-endpoint-server';
import { generateEndpointToken } from '../../src/server/generate-endpoint-token';

export interface RunningEndpoint {
  url: string;
  port: number;
  token: string;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestEndpoint(
  engine: RoutingEngine,
  options: { limits?: Partial<EndpointLimits>; allowedOrigins?: string[]; now?: () => number; app?: string } = {},
): Promise<RunningEndpoint> {
  const token = generateEndpointToken();
  const logs: string[] = [];
  const server = createEndpointServer({
    engine,
    tokens: [{ name: options.app ?? 'test-app', token }],
    port: 0,
    logger: { info: (line) => logs.push(`info ${line}`), warn: (line) => logs.push(`warn ${line}`), error: (line) => logs.push(`error ${line}`) },
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { port } = await server.listen();
  return { url: `http://127.0.0.1:${port}`, port, token, logs, close: () => server.close() };
}
