/**
 * A request the endpoint itself refuses before core sees it: a missing token, a foreign `Host`,
 * a browser `Origin`, an oversize body, a field of the wrong type, a rate cap. It carries the
 * HTTP status and an OpenRouter-style `error_type` so that the one error mapper can render it in
 * either API's shape, like any `PerpetuoError` from core.
 */
export class EndpointRejection extends Error {
  readonly status: number;
  /** OpenRouter `error.metadata.error_type` vocabulary: `authentication`, `payload_too_large`, … */
  readonly errorType: string;
  readonly retryAfterSeconds: number | undefined;
  /** The request field at fault, for 400s (`messages[0].content`). */
  readonly param: string | undefined;

  constructor(options: { status: number; errorType: string; message: string; retryAfterSeconds?: number; param?: string }) {
    super(options.message);
    this.name = 'EndpointRejection';
    this.status = options.status;
    this.errorType = options.errorType;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.param = options.param;
  }
}
