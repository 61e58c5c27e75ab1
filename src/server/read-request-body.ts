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
  // Listeners, not `for await`: the stream's async iterator costs more than the rest of reading a
  // small body, and this runs on every request.
  const { chunks, size } = await new Promise<{ chunks: Buffer[]; size: number }>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error): void => {
      request.off('data', onData).off('end', onEnd).off('close', onClose);
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        // Read no more of it: the 413 goes out with `connection: close`.
        request.pause();
        stop(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      request.off('data', onData).off('close', onClose).off('error', stop);
      resolve({ chunks, size });
    };
    const onClose = (): void => stop(new Error('The client closed the connection before its request body was complete.'));
    request.on('data', onData).once('end', onEnd).once('close', onClose).once('error', stop);
  });
  const text = Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EndpointRejection({ status: 400, errorType: 'invalid_request', message: 'The request body is not valid JSON.', param: 'body' });
  }
}
