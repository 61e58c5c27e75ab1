import { PerpetuoError } from '../errors/perpetuo-error';
import type { AttachmentLimitViolation } from './check-attachment-limits';

/**
 * One `invalid-request` error for the violations `checkAttachmentLimits` found (undefined when
 * there are none), its message every violation's sentence in order, so the user fixes all of them
 * at once rather than one per attempt. Not retryable on the same provider; a router may still try
 * another provider, whose limits differ.
 */
export function createAttachmentLimitError(violations: readonly AttachmentLimitViolation[], provider?: string): PerpetuoError | undefined {
  if (violations.length === 0) {
    return undefined;
  }
  return new PerpetuoError({
    kind: 'invalid-request',
    message: violations.map((violation) => violation.message).join(' '),
    isRetryable: false,
    ...(provider === undefined ? {} : { provider }),
  });
}
