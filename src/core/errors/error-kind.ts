/**
 * What went wrong, in terms a router and a user can act on. Provider adapters map every HTTP
 * status and error body onto one of these once, at the edge.
 */
export type ErrorKind =
  | 'auth' // 401: the key is wrong or expired
  | 'permission' // 403: the key may not use this model / region
  | 'payment' // 402 / quota exhausted / no credit
  | 'rate-limit' // 429
  | 'overloaded' // 529, 503 "overloaded", Anthropic overloaded_error
  | 'timeout' // upstream 408/504, or our idle watchdog fired
  | 'network' // connection refused / reset / DNS
  | 'context-length' // prompt + max output exceed the model's window
  | 'content-filter' // safety / moderation block
  | 'invalid-request' // 400 the provider will never accept
  | 'not-found' // unknown model or deployment
  | 'server' // 500 / 502 and other upstream faults
  | 'malformed-response' // a chunk or body that fails its schema, or a stream with no finish
  | 'cancelled' // the caller aborted
  | 'budget' // a guardrail budget would be exceeded
  | 'policy' // a guardrail allowlist / ZDR / per-request cap excludes the request
  | 'no-eligible-model' // routing left no candidate
  | 'config'; // bad configuration: an unknown strategy or provider in settings, a malformed policy file

/** Kinds a router may retry on another target (or the same one later). */
export const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'rate-limit',
  'overloaded',
  'timeout',
  'network',
  'server',
  'malformed-response',
]);
