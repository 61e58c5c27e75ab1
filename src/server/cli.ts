import { parseArgs } from 'node:util';
import { redactSecrets } from '../core/errors';
import { assertLoopbackHost } from './assert-loopback-host';
import { buildEngineFromConfig } from './build-engine-from-config';
import { createEndpointServer } from './create-endpoint-server';
import type { EndpointLogger } from './create-redacting-logger';
import { generateEndpointToken } from './generate-endpoint-token';
import { loadServeConfig } from './load-serve-config';

/** Where the CLI writes; injected so tests can read it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user asks to stop (Ctrl-C, SIGTERM). */
  stopRequested(): Promise<void>;
}

const USAGE = `Usage:
  perpetuo serve [--config FILE] [--port N] [--host 127.0.0.1|::1]
      Serve the OpenAI- and Anthropic-compatible endpoint on loopback.
      Keys come from environment variables (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY,
      OPENROUTER_API_KEY, GROQ_API_KEY, …) or 0600 key files named in the config; the endpoint
      token from PERPETUO_ENDPOINT_TOKEN or the config's tokens. See docs/endpoint.md.
  perpetuo token
      Print a new endpoint token (ppt_ + 32 random bytes).
  perpetuo help`;

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stopRequested: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

function stderrLogger(io: CliIo): EndpointLogger {
  const line = (level: string, message: string): void => io.err(`${new Date().toISOString()} ${level} ${message}`);
  return { info: (message) => line('info', message), warn: (message) => line('warn', message), error: (message) => line('error', message) };
}

/**
 * `perpetuo` on the command line: `bin/perpetuo.js` requires the bundle of this file and calls
 * `main`. Resolves with the exit code; `serve` resolves when the server has stopped.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = processIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    io.err(`perpetuo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command] = parsed.positionals;
  switch (command) {
    case 'token':
      io.out(generateEndpointToken());
      return 0;
    case 'serve':
      return serve(parsed.values, env, io);
    case undefined:
    case 'help':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`perpetuo: unknown command '${command.slice(0, 40)}'.\n${USAGE}`);
      return 2;
  }
}

function parseCli(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' } },
  });
}

async function serve(values: { config?: string; port?: string; host?: string }, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    const config = await loadServeConfig(values.config ?? env.PERPETUO_CONFIG, env);
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: '${values.port}' is not a port number.`);
      config.port = port;
    }
    if (values.host !== undefined) config.host = values.host;
    // Before any key is put to use: a wrong bind address is refused up front.
    assertLoopbackHost(config.host);
    const logger = stderrLogger(io);
    const headless = await buildEngineFromConfig(config, logger);
    const server = createEndpointServer({
      engine: headless.engine,
      tokens: config.tokens,
      host: config.host,
      port: config.port,
      limits: config.limits,
      allowedOrigins: config.allowedOrigins,
      logger,
    });
    const address = await server.listen();
    const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
    io.out(`Perpetuo endpoint on http://${shown}:${address.port}/v1 (OpenAI) and http://${shown}:${address.port} (Anthropic)`);
    io.out(`providers: ${config.providers.map((provider) => provider.id).join(', ')}; tokens: ${config.tokens.map((token) => token.name).join(', ')}`);
    await io.stopRequested();
    await server.close();
    await headless.dispose();
    return 0;
  } catch (error) {
    io.err(`perpetuo serve: ${redactSecrets((error as Error).message)}`);
    return 1;
  }
}
