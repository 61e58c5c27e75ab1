import type { IncomingHttpHeaders } from 'node:http';
import { EndpointRejection } from './endpoint-rejection';

/**
 * DNS rebinding defence: a web page can make the browser call 127.0.0.1 under its own host
 * name, but it cannot forge the `Host` header, so only the loopback names with our port pass.
 * Then any request carrying a browser `Origin` (including `null`, from sandboxed frames and
 * files) is refused unless the user allowed that exact origin; non-browser clients send none.
 * Returns the allowed origin, if any, for the CORS headers.
 */
export function checkRequestOrigin(headers: IncomingHttpHeaders, port: number, allowedOrigins: ReadonlySet<string>): string | undefined {
  const host = headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}` && host !== `[::1]:${port}`) {
    throw new EndpointRejection({
      status: 421,
      errorType: 'invalid_request',
      message: `This endpoint only answers requests addressed to 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.`,
    });
  }
  const origin = headers.origin;
  if (origin === undefined) {
    return undefined;
  }
  if (!allowedOrigins.has(origin)) {
    throw new EndpointRejection({
      status: 403,
      errorType: 'permission_denied',
      message: 'Requests from web pages are refused. Allow this origin explicitly in the endpoint settings if you trust it.',
    });
  }
  return origin;
}
