import type { ErrorKind } from '../errors/error-kind';

/**
 * The default reading of an HTTP status. Adapters refine it from the error body (a 400 that says
 * "context length", a 503 that says "overloaded") before falling back to this.
 */
export function mapHttpStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'invalid-request';
    case 401:
      return 'auth';
    case 402:
      return 'payment';
    case 403:
      return 'permission';
    case 404:
      return 'not-found';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return 'rate-limit';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 500 ? 'server' : 'invalid-request';
  }
}
