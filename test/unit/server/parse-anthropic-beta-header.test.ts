import assert from 'node:assert/strict';
import { EndpointRejection } from '../../../src/server/endpoint-rejection';
import { parseAnthropicBetaHeader } from '../../../src/server/parse-anthropic-beta-header';

describe('parseAnthropicBetaHeader', () => {
  it('splits a comma list (Node joins a repeated header the same way), once per name, in order', () => {
    assert.deepEqual(parseAnthropicBetaHeader(' a-2025-01-01 ,b-2025-02-02, a-2025-01-01,, '), { forwarded: ['a-2025-01-01', 'b-2025-02-02'], withheld: [] });
    assert.deepEqual(parseAnthropicBetaHeader(undefined), { forwarded: [], withheld: [] });
  });

  it('withholds the long-context beta, with the reason', () => {
    const { forwarded, withheld } = parseAnthropicBetaHeader('context-1m-2025-08-07,interleaved-thinking-2025-05-14');
    assert.deepEqual(forwarded, ['interleaved-thinking-2025-05-14']);
    assert.deepEqual(withheld.map((entry) => entry.beta), ['context-1m-2025-08-07']);
    assert.match(withheld[0]?.reason ?? '', /long-context pricing/);
  });

  it('refuses a name that could not be a beta, or too many, naming the header', () => {
    for (const header of ['ok-1, bad name', 'x\r\ny', Array.from({ length: 33 }, (_, i) => `b${i}`).join(',')]) {
      assert.throws(
        () => parseAnthropicBetaHeader(header),
        (error: unknown) => error instanceof EndpointRejection && error.status === 400 && error.param === 'anthropic-beta',
        header,
      );
    }
  });
});
