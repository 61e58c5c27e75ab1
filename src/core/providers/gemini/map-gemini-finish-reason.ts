import type { FinishReason, UnifiedFinishReason } from '../../spec/finish-reason';

// Output withheld by one of Google's filters: safety ratings, recitation (copyright), terminology
// blocklists, prohibited content, sensitive PII, and their image-output twins.
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

// The model tried to call a tool and failed at it: the answer is unusable, not merely short.
const FAILED_TOOL_CALL = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/**
 * Gemini's `Candidate.finishReason` in our words. Gemini has no "tool calls" reason: a turn that
 * ends in function calls says `STOP`, so `hasToolCalls` turns that `STOP` into `tool-calls`.
 * `LANGUAGE`, `OTHER`, `FINISH_REASON_UNSPECIFIED` and values added after this was written map
 * to `other`, with the raw value kept.
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  return { unified: unify(raw, hasToolCalls), raw };
}

function unify(raw: string | undefined, hasToolCalls: boolean): UnifiedFinishReason {
  if (raw === 'STOP') {
    return hasToolCalls ? 'tool-calls' : 'stop';
  }
  if (raw === 'MAX_TOKENS') {
    return 'length';
  }
  if (raw !== undefined && FILTERED.has(raw)) {
    return 'content-filter';
  }
  if (raw !== undefined && FAILED_TOOL_CALL.has(raw)) {
    return 'error';
  }
  return 'other';
}
