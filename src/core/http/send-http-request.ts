import { request } from 'undici';
import type { PerpetuoError } from '../errors/perpetuo-error';
import { handleFetchError } from './handle-fetch-error';
import type { HttpErrorResponse } from './http-error-response';
import { DEFAULT_HEADERS_TIMEOUT_MS, type HttpOptions } from './http-options';

export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Serialised as JSON when present. */
  body?: unknown;
  provider: string;
  modelId?: string;
  /** Maps a non-2xx response to the provider's error, once, at the edge. */
  mapErrorResponse: (response: HttpErrorResponse) => PerpetuoError;
}

export interface HttpSuccess {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /**
   * undici's Node stream, unread. Not converted to a web ReadableStream: on Node 20 each web
   * stream costs tens of microseconds to build and a few promise hops per chunk, and the reader
   * of an event stream is one loop (runEventStreamCall). `destroy` closes the request if the body
   * is still open (and the connection with it); the reason is what a pending read rejects with.
   */
  body: AsyncIterable<Uint8Array> & { readonly destroyed: boolean; destroy(reason: unknown): unknown };
}

/**
 * Sends one request through undici. Resolves with the 2xx response and its body unread;
 * rejects with a PerpetuoError for a non-2xx status (body read and mapped) or a network fault.
 * The URL never carries a key: adapters put keys in headers only.
 */
export async function sendHttpRequest(spec: HttpRequestSpec, signal: AbortSignal, options: HttpOptions = {}): Promise<HttpSuccess> {
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(spec.url, {
      method: spec.method,
      headers: spec.body === undefined ? spec.headers : { 'content-type': 'application/json', ...spec.headers },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal,
      dispatcher: options.dispatcher,
      headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      // The stall watchdog of the stream reader owns body stalls; undici's own body timeout is a backstop.
      bodyTimeout: 0,
    });
  } catch (error) {
    throw handleFetchError(error, { provider: spec.provider, modelId: spec.modelId, aborted: signal.aborted });
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    let bodyText = '';
    try {
      bodyText = await response.body.text();
    } catch {
      // A body cut mid-error still leaves us the status code to map.
    }
    throw spec.mapErrorResponse({ status: response.statusCode, headers: response.headers, bodyText });
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
  };
}
