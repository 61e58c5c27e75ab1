export { type ErrorKind, RETRYABLE_KINDS } from './error-kind';
export { PerpetuoError, type PerpetuoErrorOptions } from './perpetuo-error';
export { maskKey, redactSecrets, registerSecret } from './redact-secrets';
