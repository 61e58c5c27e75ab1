/** A parsed `data:` URL. */
export interface DataUrl {
  /** Lower-cased `type/subtype`; `text/plain` when the URL names none, as RFC 2397 says. */
  mediaType: string;
  /** Parameters other than `base64`, names lower-cased: `{ charset: 'utf-8' }`. */
  parameters: Record<string, string>;
  /** The payload as canonical base64 (a percent-encoded payload is re-encoded). */
  base64: string;
  /** Length of the decoded payload in bytes. */
  byteLength: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses `data:[<media type>][;base64],<data>` and returns undefined for anything that is not a
 * well-formed data URL, so the caller can name the file in its own error. Accepted leniencies,
 * each seen in real clipboard and editor output:
 * - the scheme and the `;base64` marker in any case;
 * - whitespace and line breaks inside a base64 payload (MIME-wrapped at 76 columns), and base64
 *   without its `=` padding;
 * - percent-encoded payloads, decoded byte by byte (not as UTF-8: `%FF` is the byte 0xFF, where
 *   `decodeURIComponent` would throw);
 * - `%2B`, `%2F`, `%3D` inside a base64 payload (URL-escaped base64).
 * Refused: no comma, a media type without a `/`, characters outside the base64 alphabet (base64url
 * `-`/`_` included: no provider accepts them), and a base64 length that no input could produce.
 * @see https://www.rfc-editor.org/rfc/rfc2397
 * @see https://fetch.spec.whatwg.org/#data-url-processor
 */
export function parseDataUrl(url: string): DataUrl | undefined {
  const text = url.trim();
  if (!/^data:/i.test(text)) {
    return undefined;
  }
  const comma = text.indexOf(',');
  if (comma === -1) {
    return undefined;
  }
  const header = text.slice(5, comma).split(';').map((piece) => piece.trim());
  let isBase64 = false;
  if (header.length > 1 && header.at(-1)?.toLowerCase() === 'base64') {
    isBase64 = true;
    header.pop();
  }
  const [type = '', ...rest] = header;
  let mediaType = type.toLowerCase();
  if (mediaType === '') {
    mediaType = 'text/plain';
  } else {
    const [top, sub, extra] = mediaType.split('/');
    if (top === undefined || sub === undefined || extra !== undefined || !TOKEN.test(top) || !TOKEN.test(sub)) {
      return undefined;
    }
  }
  const parameters: Record<string, string> = {};
  for (const piece of rest) {
    const equals = piece.indexOf('=');
    if (equals > 0) {
      parameters[piece.slice(0, equals).toLowerCase()] = piece.slice(equals + 1);
    }
  }
  const payload = percentDecode(text.slice(comma + 1));
  if (!isBase64) {
    return { mediaType, parameters, base64: payload.toString('base64'), byteLength: payload.length };
  }
  const body = payload.toString('latin1').replace(/[\t\n\f\r ]/g, '');
  // A base64 length of 4n+1 cannot come from any input; Node would silently drop the last character.
  if (!BASE64_BODY.test(body) || body.replace(/=+$/, '').length % 4 === 1) {
    return undefined;
  }
  const bytes = Buffer.from(body, 'base64');
  return { mediaType, parameters, base64: bytes.toString('base64'), byteLength: bytes.length };
}

/** `%XX` → the byte XX; anything else (including a `%` not followed by two hex digits) stays as it is. */
function percentDecode(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i] as number;
    if (byte === 0x25 && i + 2 < input.length && isHex(input[i + 1]) && isHex(input[i + 2])) {
      out[length++] = parseInt(String.fromCharCode(input[i + 1] as number, input[i + 2] as number), 16);
      i += 2;
    } else {
      out[length++] = byte;
    }
  }
  return out.subarray(0, length);
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}
