import { type LedgerRecord, ledgerRecordSchema } from './ledger-record';

const SOURCE_KINDS = new Set(['chat', 'model-picker', 'code-action', 'endpoint']);
const OUTCOMES = new Set(['ok', 'error', 'partial', 'cancelled', 'blocked']);
const BASES = new Set(['reported', 'computed', 'estimated-partial', 'reservation', 'none']);
const timeSchema = ledgerRecordSchema.shape.time;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isAmount = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isOptionalAmount = (value: unknown): boolean => value === undefined || isAmount(value);
const isOptionalCount = (value: unknown): boolean => value === undefined || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

/**
 * Whether `value` satisfies `ledgerRecordSchema`, answered by hand: the same rules, about ten times
 * faster than zod on a whole record. Loading the ledger checks every line it indexes (100k lines at
 * start-up); zod still runs where its wording is wanted, to name the field of a record refused by
 * `append`. test/unit/ledger/is-ledger-record.test.ts holds the two to the same verdicts.
 */
export function isLedgerRecord(value: unknown): value is LedgerRecord {
  if (!isObject(value) || value.v !== 1 || typeof value.id !== 'string' || value.id.length === 0) return false;
  if (typeof value.time !== 'string' || !timeSchema.safeParse(value.time).success) return false;
  const { source, requested, served, tokens, cost, error, attribution } = value;
  if (!isObject(source) || !SOURCE_KINDS.has(source.kind as string) || !isOptionalString(source.detail)) return false;
  if (!isObject(requested) || typeof requested.model !== 'string' || !isOptionalString(requested.strategy)) return false;
  if (!isObject(served) || !isOptionalString(served.model) || !isOptionalString(served.provider) || !isOptionalString(served.upstreamProvider) || !isOptionalString(served.upstreamId)) return false;
  if (!isObject(tokens) || !isObject(tokens.input) || !isObject(tokens.output)) return false;
  const { input, output } = tokens;
  if (!isOptionalCount(input.total) || !isOptionalCount(input.noCache) || !isOptionalCount(input.cacheRead) || !isOptionalCount(input.cacheWrite) || !isOptionalCount(input.cacheWrite1h)) return false;
  if (!isOptionalCount(output.total) || !isOptionalCount(output.text) || !isOptionalCount(output.reasoning)) return false;
  if (!isObject(cost) || !isAmount(cost.chargedUsd) || !isOptionalAmount(cost.reportedUsd) || !isOptionalAmount(cost.estimatedUsd) || !isOptionalAmount(cost.computedUsd)) return false;
  if (cost.basis !== undefined && !BASES.has(cost.basis as string)) return false;
  if (cost.unknownPriceFields !== undefined && !(Array.isArray(cost.unknownPriceFields) && cost.unknownPriceFields.every((field) => typeof field === 'string'))) return false;
  if (!isAmount(value.latencyMs) || !isOptionalAmount(value.ttftMs) || !OUTCOMES.has(value.outcome as string)) return false;
  if (error !== undefined && !(isObject(error) && typeof error.kind === 'string' && typeof error.message === 'string')) return false;
  if (!isOptionalString(value.keyId)) return false;
  return attribution === undefined || (isObject(attribution) && Object.values(attribution).every((text) => typeof text === 'string'));
}
