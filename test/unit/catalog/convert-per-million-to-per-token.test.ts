import assert from 'node:assert/strict';
import { convertPerMillionToPerToken, convertPerTokenToPerMillion } from '../../../src/core/catalog/convert-per-million-to-per-token';
import { PerpetuoError } from '../../../src/core/errors';

describe('convertPerMillionToPerToken', () => {
  const cases: Array<[number | string, string]> = [
    [3, '0.000003'],
    [0.075, '0.000000075'],
    [0.1, '0.0000001'],
    [1.25, '0.00000125'],
    [0.125, '0.000000125'],
    [600, '0.0006'],
    [15000000, '15'],
    [0, '0'],
    [1e-7, '0.0000000000001'],
    ['2.50', '0.0000025'],
    ['3e2', '0.0003'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} per million is "${expected}" per token`, () => {
      assert.equal(convertPerMillionToPerToken(input), expected);
    });
  }

  it('does not produce the float artefacts that dividing by 1e6 gives', () => {
    // Why the conversion moves the decimal point on the digits instead of dividing:
    assert.equal(String(3.3 / 1e6), '0.0000032999999999999997');
    assert.equal(convertPerMillionToPerToken(3.3), '0.0000033');
    // and never answers in exponent notation, which is not a decimal string.
    assert.equal(String(0.15 / 1e6), '1.5e-7');
    assert.equal(convertPerMillionToPerToken(0.15), '0.00000015');
  });

  it('round-trips back to per million', () => {
    for (const value of ['0.000003', '0.000000075', '0.0006', '15']) {
      assert.equal(convertPerMillionToPerToken(convertPerTokenToPerMillion(value)), value);
    }
  });

  it('rejects negative, non-numeric and non-finite input with a config error naming the value', () => {
    for (const bad of [-1, '-1', 'free', Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => convertPerMillionToPerToken(bad),
        (error: unknown) => PerpetuoError.is(error) && error.kind === 'config' && error.message.includes(String(bad)),
      );
    }
  });
});
