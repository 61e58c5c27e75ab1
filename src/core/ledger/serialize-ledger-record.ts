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
  // Copied only when a field must change (JSON.stringify leaves out an undefined field): a copy
  // of every record would cost more than writing it.
  const dropPrompt = record.prompt !== undefined && !logPrompts;
  const maskId = record.keyId !== undefined && !MASKED_KEY.test(record.keyId);
  const safe: LedgerRecord =
    dropPrompt || maskId ? { ...record, prompt: dropPrompt ? undefined : record.prompt, keyId: maskId && record.keyId !== undefined ? maskKey(record.keyId) : record.keyId } : record;
  return redactSecrets(JSON.stringify(safe));
}
