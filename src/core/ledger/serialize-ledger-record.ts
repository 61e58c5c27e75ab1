import { maskKey, redactSecrets } from '../errors';
import type { LedgerRecord } from './ledger-record';

/** A masked key label as `maskKey` makes it: known prefix, ellipsis, last four. */
const MASKED_KEY = /^(?:sk-ant-|sk-or-v1-|sk-|AIza|gsk_|xai-|fw_)?…[A-Za-z0-9_-]{0,4}$/;

/**
 * The last gate before a record reaches disk, returning its JSON line without the newline. The
 * prompt is dropped unless prompt logging is on; a `keyId` that is not already a masked label is
 * masked; then the whole serialized line goes through `redactSecrets`, so a key anywhere — an
 * error message, the router's decision, the provider's raw usage, an object key — is removed
 * whatever field it hides in. Redaction only replaces runs of key characters, which never include
 * a quote or a backslash, so the line stays valid JSON.
 */
export function serializeLedgerRecord(record: LedgerRecord, logPrompts: boolean): string {
  const { prompt, ...rest } = record;
  const safe: LedgerRecord = logPrompts && prompt !== undefined ? { ...rest, prompt } : rest;
  if (safe.keyId !== undefined && !MASKED_KEY.test(safe.keyId)) {
    safe.keyId = maskKey(safe.keyId);
  }
  return redactSecrets(JSON.stringify(safe));
}
