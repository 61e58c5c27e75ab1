import assert from 'node:assert/strict';
import { mapGeminiFinishReason } from '../../../../src/core/providers/gemini/map-gemini-finish-reason';

describe('mapGeminiFinishReason', () => {
  const cases: Array<[string | undefined, boolean, string]> = [
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool-calls'],
    ['MAX_TOKENS', false, 'length'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content-filter'],
    ['RECITATION', false, 'content-filter'],
    ['BLOCKLIST', false, 'content-filter'],
    ['PROHIBITED_CONTENT', false, 'content-filter'],
    ['SPII', false, 'content-filter'],
    ['IMAGE_SAFETY', false, 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'error'],
    ['UNEXPECTED_TOOL_CALL', true, 'error'],
    ['OTHER', false, 'other'],
    ['LANGUAGE', false, 'other'],
    ['FINISH_REASON_UNSPECIFIED', false, 'other'],
    ['SOMETHING_NEW', false, 'other'],
    [undefined, false, 'other'],
  ];
  for (const [raw, hasToolCalls, unified] of cases) {
    it(`${raw ?? '(none)'}${hasToolCalls ? ' after function calls' : ''} → ${unified}, raw kept`, () => {
      assert.deepEqual(mapGeminiFinishReason(raw, hasToolCalls), { unified, raw });
    });
  }
});
