/**
 * Recognises formats that sharp cannot open (or that we refuse) from their first bytes, so that a
 * PDF is reported as an unsupported format rather than as unreadable bytes. Not exported from the lib.
 */

interface Signature {
  name: string;
  matches(bytes: Uint8Array): boolean;
}

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));

const startsWith = (prefix: readonly number[]) => (bytes: Uint8Array) =>
  bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);

const startsWithText = (prefix: string) => (bytes: Uint8Array) => ascii(bytes, 0, prefix.length) === prefix;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);
const u32le = (bytes: Uint8Array, at: number) =>
  (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;

const SIGNATURES: readonly Signature[] = [
  { name: 'PDF', matches: startsWithText('%PDF-') },
  { name: 'PostScript', matches: startsWithText('%!PS') },
  { name: 'SVG', matches: (bytes) => /^\s*(<\?xml|<svg|<!DOCTYPE svg)/i.test(ascii(bytes, 0, 256)) },
  { name: 'HEIF', matches: (bytes) => ascii(bytes, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(bytes, 8, 12)) },
  {
    name: 'BMP',
    matches: (bytes) => startsWithText('BM')(bytes) && bytes.length >= 18 && BMP_HEADER_SIZES.has(u32le(bytes, 14)),
  },
  { name: 'Photoshop PSD', matches: startsWithText('8BPS') },
  { name: 'JPEG XL', matches: (bytes) => startsWith([0xff, 0x0a])(bytes) || ascii(bytes, 4, 8) === 'JXL ' },
  {
    name: 'JPEG 2000',
    matches: (bytes) => startsWith([0xff, 0x4f, 0xff, 0x51])(bytes) || ascii(bytes, 4, 8) === 'jP  ',
  },
  { name: 'OpenEXR', matches: startsWith([0x76, 0x2f, 0x31, 0x01]) },
  { name: 'QOI', matches: startsWithText('qoif') },
  { name: 'GIMP XCF', matches: startsWithText('gimp xcf') },
  { name: 'Netpbm', matches: (bytes) => /^P[1-7]\s/.test(ascii(bytes, 0, 3)) },
  { name: 'ICO', matches: (bytes) => startsWith([0, 0, 1, 0])(bytes) && bytes.length >= 6 && bytes[4] + bytes[5] > 0 },
];

/** The name of a known but refused format these bytes start with, or `undefined`. */
export function sniffRefusedFormat(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes))?.name;
}
