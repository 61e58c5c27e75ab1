import { request } from 'node:http';

/** What answers on a loopback port someone else holds. */
export type PortHolder = 'perpetuo' | 'other';

const PROBE_TIMEOUT_MS = 2_000;

function get(port: number, path: string, timeoutMs: number): Promise<{ status: number; body: unknown } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, accept: 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // A Perpetuo answer here is a few hundred bytes; anything much larger is not one.
        if (size > 16_384) {
          res.destroy();
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Asks what holds a loopback port: a Perpetuo endpoint (another VS Code window, or `perpetuo
 * serve`) or something else. Perpetuo answers `GET /health` with `{"status":"ok"}` and no token,
 * and a request without a token with 401 and its own error text; both must match, since
 * `{"status":"ok"}` alone is common. Sends no token or key; talks to 127.0.0.1 only.
 */
export async function probePerpetuoEndpoint(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<PortHolder> {
  const health = await get(port, '/health', timeoutMs);
  const healthBody = health?.body as { status?: unknown; service?: unknown } | undefined;
  if (health?.status !== 200 || healthBody?.status !== 'ok') {
    return 'other';
  }
  if (healthBody.service === 'perpetuo') {
    return 'perpetuo';
  }
  const models = await get(port, '/v1/models', timeoutMs);
  const message = (models?.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return models?.status === 401 && typeof message === 'string' && message.includes('endpoint token') ? 'perpetuo' : 'other';
}
