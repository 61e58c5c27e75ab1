import type { IncomingMessage } from 'node:http';
import { EndpointRejection } from './endpoint-rejection';

/**
 * Reads a JSON body, refusing more than `maxBytes` (413) before buffering it: a declared
 * `content-length` over the cap is refused at once, and a chunked body is cut off as soon as it
 * passes the cap. Malformed JSON is a 400.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = (): EndpointRejection =>
    new EndpointRejection({ status: 413, errorType: 'payload_too_large', message: `The request body is larger than ${maxBytes} bytes.` });
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EndpointRejection({ status: 400, errorType: 'invalid_request', message: 'The request body is not valid JSON.', param: 'body' });
  }
}
