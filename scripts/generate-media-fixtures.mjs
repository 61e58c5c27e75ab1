#!/usr/bin/env node
// Writes small, real media files into test/fixtures/media/ for the attachment tests:
//   node scripts/generate-media-fixtures.mjs [output-dir]
// No external tool and no download: every format is written byte by byte here, so the files can
// be regenerated anywhere and the output is deterministic (test/unit/attachments checks that a
// fresh run reproduces the committed files exactly).
//   gradient.png   16×16 RGB gradient, IDAT deflated with node:zlib
//   gradient.jpg   16×16 greyscale baseline JPEG: a real FDCT + the Annex K tables
//   pixel.gif      1×1 GIF89a with a hand-packed LZW stream
//   spec.pdf       three pages of Helvetica text, xref offsets computed from the bytes
//   blank.pdf      one page with no text on it (what a scanned page looks like to a text reader)
//   tone.wav       0.25 s of a 440 Hz sine, 8 kHz mono 16-bit PCM
//   clip.mp4       ISO BMFF: ftyp + moov (mvhd, one video trak with empty sample tables)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'test/fixtures/media'));

/** The text on each page of spec.pdf; the tests look for these exact lines. */
const PDF_PAGES = [
  ['Perpetuo fixture, page 1: routing requirements.', 'Attachments go only to models that can read them.'],
  ['Page 2: fallbacks happen before the first token.'],
  ['Page 3: every decision is written to the log.'],
];

// ---------------------------------------------------------------- PNG
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function makePng(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  // compression 0, filter 0, interlace 0
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0 (None), then RGB triples
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = Math.round((x * 255) / (size - 1));
      row[2 + x * 3] = Math.round((y * 255) / (size - 1));
      row[3 + x * 3] = 128;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- JPEG (baseline, greyscale)
// Zigzag position → natural (row-major) index in the 8×8 block (ITU T.81 figure A.6).
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22,
  15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
// Luminance quantisation table, natural order (T.81 Annex K.1).
const QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24,
  35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
// Luminance Huffman tables (T.81 Annex K.3): code counts per length 1–16, then symbols.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1,
  0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35, 0x36, 0x37,
  0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
  0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3,
  0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3,
  0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** Canonical Huffman codes (T.81 Annex C): symbol → [code, length]. */
function huffmanCodes(bits, values) {
  if (bits.reduce((a, b) => a + b, 0) !== values.length) {
    throw new Error('Huffman table: counts and symbols disagree');
  }
  const codes = new Map();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) {
      codes.set(values[k++], [code++, length]);
    }
    code <<= 1;
  }
  return codes;
}

class BitWriter {
  bytes = [];
  current = 0;
  filled = 0;
  write(value, length) {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.filled === 8) {
        this.push(this.current);
      }
    }
  }
  push(byte) {
    this.bytes.push(byte);
    if (byte === 0xff) {
      this.bytes.push(0x00); // byte stuffing: 0xFF in entropy-coded data is followed by 0x00
    }
    this.current = 0;
    this.filled = 0;
  }
  finish() {
    if (this.filled > 0) {
      this.write(0x7f, 8 - this.filled); // pad the last byte with 1-bits
    }
    return Buffer.from(this.bytes);
  }
}

/** Bits needed for |value| and the value's representation in them (T.81 F.1.2.1). */
function magnitude(value) {
  const abs = Math.abs(value);
  const size = abs === 0 ? 0 : Math.floor(Math.log2(abs)) + 1;
  return [size, value < 0 ? value + (1 << size) - 1 : value];
}

function forwardDct(block) {
  const out = new Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          sum += block[y * 8 + x] * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      }
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      out[v * 8 + u] = 0.25 * cu * cv * sum;
    }
  }
  return out;
}

function segment(marker, body) {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

function makeJpeg(size) {
  const pixel = (x, y) => Math.min(255, x * 12 + y * 4);
  const dc = huffmanCodes(DC_BITS, DC_VALUES);
  const ac = huffmanCodes(AC_BITS, AC_VALUES);
  const emit = (writer, table, symbol) => {
    const entry = table.get(symbol);
    writer.write(entry[0], entry[1]);
  };
  const writer = new BitWriter();
  let previousDc = 0;
  for (let by = 0; by < size; by += 8) {
    for (let bx = 0; bx < size; bx += 8) {
      const samples = [];
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          samples.push(pixel(bx + x, by + y) - 128); // level shift
        }
      }
      const coefficients = forwardDct(samples);
      const quantised = ZIGZAG.map((natural) => Math.round(coefficients[natural] / QUANT[natural]));
      const [dcSize, dcBits] = magnitude(quantised[0] - previousDc);
      previousDc = quantised[0];
      emit(writer, dc, dcSize);
      writer.write(dcBits, dcSize);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        if (quantised[k] === 0) {
          run++;
          continue;
        }
        while (run > 15) {
          emit(writer, ac, 0xf0); // ZRL: sixteen zeros
          run -= 16;
        }
        const [acSize, acBits] = magnitude(quantised[k]);
        emit(writer, ac, (run << 4) | acSize);
        writer.write(acBits, acSize);
        run = 0;
      }
      if (run > 0) {
        emit(writer, ac, 0x00); // EOB
      }
    }
  }
  const jfif = Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const dqt = Buffer.from([0x00, ...ZIGZAG.map((natural) => QUANT[natural])]);
  const sof = Buffer.from([8, size >> 8, size & 0xff, size >> 8, size & 0xff, 1, 1, 0x11, 0]);
  const dhtDc = Buffer.from([0x00, ...DC_BITS, ...DC_VALUES]);
  const dhtAc = Buffer.from([0x10, ...AC_BITS, ...AC_VALUES]);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xffe0, jfif),
    segment(0xffdb, dqt),
    segment(0xffc0, sof),
    segment(0xffc4, dhtDc),
    segment(0xffc4, dhtAc),
    segment(0xffda, sos),
    writer.finish(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

// ---------------------------------------------------------------- GIF
function makeGif() {
  return Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'),
    0x01, 0x00, 0x01, 0x00, // logical screen 1×1
    0x80, 0x00, 0x00, // global colour table of 2 entries, background 0, aspect 0
    0xff, 0xff, 0xff, 0x00, 0x00, 0x00, // white, black
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // image descriptor 1×1 at 0,0
    0x02, // LZW minimum code size 2: clear = 4, end = 5, 3-bit codes
    0x02, 0x44, 0x01, // one sub-block: codes clear(4), 0, end(5) packed LSB-first
    0x00, // block terminator
    0x3b, // trailer
  ]);
}

// ---------------------------------------------------------------- PDF
function pdfString(text) {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function makePdf(pages) {
  const objects = [];
  const pageIds = pages.map((_, i) => 3 + i * 2);
  const fontId = 3 + pages.length * 2;
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  pages.forEach((lines, i) => {
    const content = ['BT', '/F1 18 Tf', '72 720 Td', ...lines.flatMap((line, j) => (j === 0 ? [`${pdfString(line)} Tj`] : ['0 -24 Td', `${pdfString(line)} Tj`])), 'ET'].join('\n');
    objects[pageIds[i]] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${pageIds[i] + 1} 0 R >>`;
    objects[pageIds[i] + 1] = `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`;
  });
  objects[fontId] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

  // A binary comment on line 2 tells transfer tools the file is binary (PDF 32000-1 §7.5.2).
  const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = offset;
    const chunk = Buffer.from(`${id} 0 obj\n${objects[id]}\nendobj\n`, 'latin1');
    parts.push(chunk);
    offset += chunk.length;
  }
  // Each xref entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, space, LF.
  const xref = [`xref\n0 ${objects.length}\n`, '0000000000 65535 f \n', ...offsets.slice(1).map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- WAV
function makeWav({ sampleRate, seconds, frequency }) {
  const samples = Math.round(sampleRate * seconds);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 0.5 * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// ---------------------------------------------------------------- MP4 (ISO/IEC 14496-12)
function box(type, ...payload) {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

function fullBox(type, version, flags, ...payload) {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff), 0);
  return box(type, vf, ...payload);
}

function u32(...values) {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

function u16(...values) {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeUInt16BE(v, i * 2));
  return out;
}

const UNITY_MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

function makeMp4(size) {
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomiso2mp41', 'latin1'));
  const mvhd = fullBox('mvhd', 0, 0, u32(0, 0, 1000, 0), u32(0x00010000), u16(0x0100, 0), u32(0, 0), UNITY_MATRIX, Buffer.alloc(24), u32(2));
  const tkhd = fullBox('tkhd', 0, 3, u32(0, 0, 1, 0, 0), u32(0, 0), u16(0, 0, 0, 0), UNITY_MATRIX, u32(size << 16, size << 16));
  const mdhd = fullBox('mdhd', 0, 0, u32(0, 0, 1000, 0), u16(0x55c4, 0)); // language 'und'
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('vide', 'latin1'), u32(0, 0, 0), Buffer.from('VideoHandler\0', 'latin1'));
  const vmhd = fullBox('vmhd', 0, 1, u16(0, 0, 0, 0));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(0)),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0, 0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl)));
  return Buffer.concat([ftyp, box('moov', mvhd, trak)]);
}

// ---------------------------------------------------------------- write
const files = {
  'gradient.png': makePng(16),
  'gradient.jpg': makeJpeg(16),
  'pixel.gif': makeGif(),
  'spec.pdf': makePdf(PDF_PAGES),
  'blank.pdf': makePdf([[]]),
  'tone.wav': makeWav({ sampleRate: 8000, seconds: 0.25, frequency: 440 }),
  'clip.mp4': makeMp4(16),
};

mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(join(outDir, name), bytes);
  console.log(`${name.padEnd(14)} ${String(bytes.length).padStart(6)} bytes`);
}
