import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { MEDIA_FIXTURES, readMediaFixture } from './read-media-fixture';

const SCRIPT = join(__dirname, '../../../scripts/generate-media-fixtures.mjs');

/** CRC-32 as PNG computes it (ISO 3309), written here independently of the generator. */
function crc32(data: Uint8Array): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return ~crc >>> 0;
}

describe('scripts/generate-media-fixtures.mjs', () => {
  it('reproduces the committed fixtures byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetuo-media-'));
    try {
      const run = spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const written = readdirSync(dir).sort();
      assert.deepEqual(written, readdirSync(MEDIA_FIXTURES).sort());
      for (const name of written) {
        assert.ok(readFileSync(join(dir, name)).equals(readFileSync(join(MEDIA_FIXTURES, name))), `${name} differs from the committed file`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the generated fixtures are well-formed', () => {
  it('gradient.png: chunk CRCs hold, IHDR says 16×16 RGB, IDAT inflates to 16 filtered rows', () => {
    const png = Buffer.from(readMediaFixture('gradient.png'));
    const chunks: Array<{ type: string; data: Buffer }> = [];
    for (let offset = 8; offset < png.length; ) {
      const length = png.readUInt32BE(offset);
      const type = png.toString('latin1', offset + 4, offset + 8);
      const data = png.subarray(offset + 8, offset + 8 + length);
      assert.equal(png.readUInt32BE(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), `CRC of ${type}`);
      chunks.push({ type, data });
      offset += 12 + length;
    }
    assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
    const header = chunks[0]!.data;
    assert.deepEqual([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]], [16, 16, 8, 2]);
    const raw = inflateSync(chunks[1]!.data);
    assert.equal(raw.length, 16 * (1 + 16 * 3));
    // Row 15, pixel 15 is the gradient's far corner: full red, full green, mid blue.
    assert.deepEqual([...raw.subarray(15 * 49 + 1 + 45, 15 * 49 + 1 + 48)], [255, 255, 128]);
  });

  it('gradient.jpg: SOI, JFIF, one 8-bit quant table, SOF0 16×16 with one component, both Huffman tables whose counts match their symbols, SOS, EOI', () => {
    const jpeg = Buffer.from(readMediaFixture('gradient.jpg'));
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
    assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
    const markers: number[] = [];
    let offset = 2;
    while (offset < jpeg.length) {
      assert.equal(jpeg[offset], 0xff, `marker expected at ${offset}`);
      const marker = jpeg[offset + 1]!;
      markers.push(marker);
      const length = jpeg.readUInt16BE(offset + 2);
      const body = jpeg.subarray(offset + 4, offset + 2 + length);
      if (marker === 0xc0) {
        assert.deepEqual([body[0], body.readUInt16BE(1), body.readUInt16BE(3), body[5]], [8, 16, 16, 1]);
      }
      if (marker === 0xc4) {
        const counts = [...body.subarray(1, 17)].reduce((a, b) => a + b, 0);
        assert.equal(body.length, 17 + counts);
      }
      if (marker === 0xdb) {
        assert.equal(body.length, 65);
      }
      offset += 2 + length;
      if (marker === 0xda) {
        break; // entropy-coded data follows
      }
    }
    assert.deepEqual(markers, [0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    // In entropy-coded data every 0xFF is stuffed with 0x00 until the EOI marker.
    const scan = jpeg.subarray(offset, -2);
    for (let i = 0; i < scan.length; i++) {
      if (scan[i] === 0xff) {
        assert.equal(scan[i + 1], 0x00);
      }
    }
  });

  it('tone.wav: PCM, mono, 8 kHz, 16-bit, 2,000 samples whose peak is half scale', () => {
    const wav = Buffer.from(readMediaFixture('tone.wav'));
    assert.equal(wav.readUInt32LE(4), wav.length - 8);
    assert.deepEqual([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)], [1, 1, 8000, 16]);
    const samples = wav.readUInt32LE(40) / 2;
    assert.equal(samples, 2000);
    let peak = 0;
    for (let i = 0; i < samples; i++) {
      peak = Math.max(peak, Math.abs(wav.readInt16LE(44 + i * 2)));
    }
    assert.ok(peak > 16000 && peak <= 16384, `peak ${peak}`);
  });

  it('clip.mp4: boxes nest exactly, ftyp first, and moov holds mvhd and a video trak', () => {
    const mp4 = Buffer.from(readMediaFixture('clip.mp4'));
    const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'dinf', 'stbl']);
    const seen: string[] = [];
    const walk = (start: number, end: number, depth: number) => {
      let offset = start;
      while (offset < end) {
        const size = mp4.readUInt32BE(offset);
        const type = mp4.toString('latin1', offset + 4, offset + 8);
        assert.ok(size >= 8 && offset + size <= end, `${type} at ${offset} overruns its parent`);
        seen.push(`${'  '.repeat(depth)}${type}`);
        if (containers.has(type)) {
          walk(offset + 8, offset + size, depth + 1);
        }
        if (type === 'hdlr') {
          assert.equal(mp4.toString('latin1', offset + 16, offset + 20), 'vide');
        }
        offset += size;
      }
      assert.equal(offset, end);
    };
    walk(0, mp4.length, 0);
    assert.equal(seen[0], 'ftyp');
    for (const required of ['moov', '  mvhd', '  trak', '    tkhd', '    mdia', '      mdhd', '      hdlr', '      minf', '          stsd']) {
      assert.ok(seen.includes(required), `missing ${required.trim()}`);
    }
  });
});
