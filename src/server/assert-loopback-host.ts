const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Refuses any bind address but loopback. The endpoint holds the user's provider keys behind a
 * bearer token; on a LAN address anyone on the network could try tokens, so there is no setting
 * that opens it up.
 */
export function assertLoopbackHost(host: string): '127.0.0.1' | '::1' {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(
      `The endpoint listens on loopback only (127.0.0.1 or ::1); refusing to bind to '${host}'. ` +
        'Other machines must not reach a server that spends your provider keys.',
    );
  }
  // 'localhost' may resolve to a non-loopback address on a misconfigured machine: bind by number.
  return host === '::1' ? '::1' : '127.0.0.1';
}
