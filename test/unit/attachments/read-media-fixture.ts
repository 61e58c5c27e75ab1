import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Directory of the files `scripts/generate-media-fixtures.mjs` writes. */
export const MEDIA_FIXTURES = join(__dirname, '../../fixtures/media');

/** The bytes of one committed media fixture. */
export function readMediaFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(MEDIA_FIXTURES, name)));
}
