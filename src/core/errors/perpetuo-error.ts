import { type ErrorKind, RETRYABLE_KINDS } from './error-kind';
import { redactSecrets } from './redact-secrets';

/**
 * Marks every PerpetuoError, whichever bundle's copy of this class built it: the extension ships as
 * separate bundles (`dist/extension.js`, `dist/on-demand.js`), each with its own copy of this
 * module, and `instanceof` on a class identity would fail across them. A registered symbol is the
 * same in every copy.
 */
const BRAND = Symbol.for('perpetuo.PerpetuoError');

export interface PerpetuoErrorOptions {
  kind: ErrorKind;
  message: string;
  /** Provider instance id (`openai`, `anthropic`, …) when the error came from one. */
  provider?: string;
  /** Upstream model id, when known. */
  modelId?: string;
  statusCode?: number;
  /** Defaults to whether `kind` is retryable. */
  isRetryable?: boolean;
  /** Seconds the provider asked us to wait (`retry-after`). */
  retryAfterSeconds?: number;
  /** The upstream body; redacted and truncated before it is stored. */
  responseBody?: string;
  /** The provider's own error code or type (`overloaded_error`, `RESOURCE_EXHAUSTED`, …). */
  providerCode?: string;
  cause?: unknown;
}

/**
 * The one error class of Perpetuo. Every fault that crosses a layer is one of these, with a kind
 * a router can act on and a message a user can read. Message and body are redacted on
 * construction, so no key can leak through `message`, `stack` or `toJSON()`.
 */
export class PerpetuoError extends Error {
  readonly kind: ErrorKind;
  readonly provider: string | undefined;
  readonly modelId: string | undefined;
  readonly statusCode: number | undefined;
  readonly isRetryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly responseBody: string | undefined;
  readonly providerCode: string | undefined;

  constructor(options: PerpetuoErrorOptions) {
    super(redactSecrets(options.message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PerpetuoError';
    this.kind = options.kind;
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.statusCode = options.statusCode;
    this.isRetryable = options.isRetryable ?? RETRYABLE_KINDS.has(options.kind);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.responseBody = options.responseBody === undefined ? undefined : redactSecrets(options.responseBody).slice(0, 4000);
    this.providerCode = options.providerCode;
    Object.defineProperty(this, BRAND, { value: true });
    if (this.stack) {
      this.stack = redactSecrets(this.stack);
    }
  }

  /** `instanceof` by brand, so that an error from another bundle's copy of this class still is one. */
  static override [Symbol.hasInstance](value: unknown): value is PerpetuoError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  static is(value: unknown): value is PerpetuoError {
    return value instanceof PerpetuoError;
  }

  /** Wraps anything thrown into a PerpetuoError, keeping one that already is. */
  static from(value: unknown, fallback: Omit<PerpetuoErrorOptions, 'message' | 'cause'>): PerpetuoError {
    if (value instanceof PerpetuoError) {
      return value;
    }
    const message = value instanceof Error ? value.message : String(value);
    return new PerpetuoError({ ...fallback, message, cause: value });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      provider: this.provider,
      modelId: this.modelId,
      statusCode: this.statusCode,
      isRetryable: this.isRetryable,
      retryAfterSeconds: this.retryAfterSeconds,
      providerCode: this.providerCode,
    };
  }
}
