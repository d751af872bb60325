import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffContentType } from './sniff-content-type.ts';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('sniffContentType decides by magic bytes only', () => {
  const cases: [Buffer, ReturnType<typeof sniffContentType>][] = [
    [bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    [bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    [bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    [bytes('%PDF-1.7\n'), 'application/pdf'],
    [bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'video/webm'],
    [bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'video/mp4'],
    [bytes([0, 0, 0, 0x1c], 'ftypmp42'), 'video/mp4'],
    [bytes([0, 0, 0, 0x18], 'ftypheic'), null], // HEIC photo: ISO-BMFF but not a video
    [bytes([0, 0, 0, 0x1c], 'ftypavif'), null],
    [bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '), null], // RIFF but not WebP
    [bytes([0x89, 0x50, 0x4e, 0x47]), null], // PNG signature cut short
    [bytes([0xff, 0xd8]), null],
    [bytes(' %PDF-1.4'), null], // junk before the header: refused (polyglot trick)
    [bytes('GIF89a'), null],
    [bytes('hello, this is text'), null],
    [Buffer.alloc(0), null],
  ];
  for (const [input, expected] of cases) assert.equal(sniffContentType(input), expected, input.toString('latin1'));
});
