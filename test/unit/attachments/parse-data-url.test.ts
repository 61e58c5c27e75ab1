import assert from 'node:assert/strict';
import { parseDataUrl } from '../../../src/core/attachments/parse-data-url';

describe('parseDataUrl', () => {
  it('parses a base64 image', () => {
    assert.deepEqual(parseDataUrl('data:image/png;base64,iVBORw0KGgo='), { mediaType: 'image/png', parameters: {}, base64: 'iVBORw0KGgo=', byteLength: 8 });
  });

  it('reads the scheme, the type and the base64 marker in any case, and keeps parameters', () => {
    const parsed = parseDataUrl('DATA:Text/Plain;Charset=UTF-8;BASE64,aGk=');
    assert.deepEqual(parsed, { mediaType: 'text/plain', parameters: { charset: 'UTF-8' }, base64: 'aGk=', byteLength: 2 });
  });

  it('defaults the type to text/plain (RFC 2397)', () => {
    assert.equal(parseDataUrl('data:,hello')?.mediaType, 'text/plain');
    assert.equal(parseDataUrl('data:;base64,aGk=')?.mediaType, 'text/plain');
  });

  it('percent-decodes a non-base64 payload byte by byte, binary included', () => {
    const parsed = parseDataUrl('data:application/octet-stream,%FF%00a%20b');
    assert.deepEqual(Buffer.from(parsed!.base64, 'base64'), Buffer.from([0xff, 0x00, 0x61, 0x20, 0x62]));
    assert.equal(parsed!.byteLength, 5);
  });

  it('leaves a % not followed by two hex digits as it is', () => {
    assert.equal(Buffer.from(parseDataUrl('data:,100%25 and 50%')!.base64, 'base64').toString('latin1'), '100% and 50%');
  });

  it('accepts MIME line breaks, missing padding and URL-escaped base64, and returns canonical base64', () => {
    assert.equal(parseDataUrl('data:image/gif;base64,R0lG\r\nODlh')?.base64, 'R0lGODlh');
    assert.equal(parseDataUrl('data:text/plain;base64,aGk')?.base64, 'aGk=');
    assert.equal(parseDataUrl('data:text/plain;base64,Pz8%2F')?.base64, 'Pz8/');
  });

  it('treats ;base64 as the marker only when it is the last parameter', () => {
    const parsed = parseDataUrl('data:text/plain;base64;charset=utf-8,aGk=');
    assert.equal(Buffer.from(parsed!.base64, 'base64').toString('latin1'), 'aGk=');
  });

  it('refuses what is not a well-formed data URL', () => {
    for (const bad of [
      'https://example.com/a.png',
      'data:image/png;base64',
      'data:image;base64,aGk=',
      'data:image/png/x;base64,aGk=',
      'data:image/png;base64,a$b=',
      'data:image/png;base64,aGVsbG8_-w==',
      'data:image/png;base64,aGVsb',
      'data:image/png;base64,aG=k',
    ]) {
      assert.equal(parseDataUrl(bad), undefined, bad);
    }
  });

  it('accepts an empty payload as zero bytes', () => {
    assert.deepEqual(parseDataUrl('data:image/png;base64,'), { mediaType: 'image/png', parameters: {}, base64: '', byteLength: 0 });
  });
});
