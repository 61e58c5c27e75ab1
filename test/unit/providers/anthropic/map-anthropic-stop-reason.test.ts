import assert from 'node:assert/strict';
import { mapAnthropicStopReason } from '../../../../src/core/providers/anthropic';

describe('mapAnthropicStopReason', () => {
  const cases: Array<[string | null, string]> = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['pause_turn', 'other'],
    ['refusal', 'content-filter'],
    ['something_new', 'other'],
    [null, 'other'],
  ];
  for (const [raw, unified] of cases) {
    it(`${raw} → ${unified}`, () => {
      assert.deepEqual(mapAnthropicStopReason(raw), { unified, raw: raw ?? undefined });
    });
  }
});
