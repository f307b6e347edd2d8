// The one table of input cases: bad input sent to every public endpoint, and odd but valid images
// sent through the whole pipeline. Both runners (vitest and `nx run reliability:run`) read it.
import sharp from 'sharp';
import { orchestratorMessageLimits, type Protocol } from '@imagepipeline/config';
import { DEFAULT_MAX_PIXELS } from '@imagepipeline/contracts';
import {
  makeAnimatedGif,
  makeBadCrcPng,
  makeCmykJpeg,
  makeExifRotatedJpeg,
  makeGreyscalePng,
  makeNoisyGradient,
  makePalettePng,
  makePdfHeader,
  makePngBomb,
  makeRandomImage,
  makeSixteenBitPng,
  makeTextBytes,
  makeTruncatedJpeg,
  makeTruncatedPng,
} from '@imagepipeline/imaging/testing';
import type { Payload } from './wire';

/**
 * Limits the bad-input services run with, small so the oversize cases stay light: an image over
 * 256 KiB is refused by the stage (IMAGE_TOO_LARGE); a request over that and the message envelope
 * by the orchestrator's transport (its request limit follows from the image limit).
 */
const LIGHT_MAX_IMAGE_BYTES = 256 * 1024;

export const LIGHT_LIMITS = {
  maxImageBytes: LIGHT_MAX_IMAGE_BYTES,
  orchestratorRequestBytes: orchestratorMessageLimits({ maxBytes: LIGHT_MAX_IMAGE_BYTES, maxPixels: DEFAULT_MAX_PIXELS }).maxRequestBytes,
} as const;

export const LIGHT_LIMITS_ENV: Record<string, string> = {
  PIPELINE_MAX_IMAGE_BYTES: String(LIGHT_LIMITS.maxImageBytes),
};

/** The answer a case expects on one protocol: HTTP status or gRPC status name, and the allowed pipeline codes. */
export interface ExpectedRefusal {
  status: string;
  /** Pipeline error codes accepted; empty: none required (e.g. grpc-js's own message-size refusal). */
  codes: readonly string[];
}

export interface BadInputCase {
  id: string;
  title: string;
  /** The request for a protocol; `undefined` where the case does not apply to it. */
  payload(protocol: Protocol): Promise<Payload | undefined>;
  expected: Partial<Record<Protocol, ExpectedRefusal>>;
}

const REST_400 = (codes: string[]): ExpectedRefusal => ({ status: '400', codes });
const GRPC_INVALID = (codes: string[]): ExpectedRefusal => ({ status: 'INVALID_ARGUMENT', codes });

const imageOf = (bytes: Buffer, fileName: string): Payload => ({ kind: 'image', bytes, fileName });
const both = (make: () => Promise<Payload> | Payload) => async () => make();
const restOnly = (make: () => Payload) => async (protocol: Protocol) => (protocol === 'rest' ? make() : undefined);
const grpcOnly = (make: () => Payload) => async (protocol: Protocol) => (protocol === 'grpc' ? make() : undefined);

/** A valid PNG of random pixels (does not compress) of about `bytes` bytes. */
export async function makeIncompressiblePng(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 3));
  const { data, width, height } = makeRandomImage(side, side, 3, 5);
  return sharp(data, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** An SVG that points at external resources (an image and a stylesheet over http, a file). */
export function makeSvgWithExternalReferences(): Buffer {
  return Buffer.from(
    '<?xml version="1.0"?>\n<?xml-stylesheet href="http://example.invalid/s.css"?>\n' +
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30">' +
      '<image xlink:href="http://example.invalid/x.png" width="40" height="30"/>' +
      '<image href="file:///etc/passwd" width="40" height="30"/></svg>\n',
  );
}

/** A small photo-like JPEG (noisy gradient, 160×120) that every endpoint must accept. */
export async function makeGoodJpeg(width = 160, height = 120, seed = 7): Promise<Buffer> {
  const raw = makeNoisyGradient({ width, height, seed });
  return sharp(raw.data, { raw: { width, height, channels: raw.channels } }).jpeg({ quality: 90 }).toBuffer();
}

/** Bytes that are no image at all and have no known signature. */
function makeNonImageBytes(): Buffer {
  return Buffer.from(makeRandomImage(64, 16, 4, 11).data).fill(0x00, 0, 4);
}

const UNREADABLE = { rest: REST_400(['IMAGE_UNREADABLE']), grpc: GRPC_INVALID(['IMAGE_UNREADABLE']) };
const UNSUPPORTED = { rest: { status: '415', codes: ['IMAGE_UNSUPPORTED_FORMAT'] }, grpc: GRPC_INVALID(['IMAGE_UNSUPPORTED_FORMAT']) };

export const BAD_INPUT_CASES: readonly BadInputCase[] = [
  {
    id: 'empty-body',
    title: 'empty image (REST: zero-byte raw body; gRPC: image with no bytes)',
    payload: async (protocol) =>
      protocol === 'rest' ? { kind: 'rest-body', contentType: 'image/jpeg', body: Buffer.alloc(0) } : imageOf(Buffer.alloc(0), 'empty.jpg'),
    expected: { rest: REST_400(['IMAGE_EMPTY']), grpc: GRPC_INVALID(['IMAGE_EMPTY', 'INVALID_ARGUMENT']) },
  },
  {
    id: 'empty-file',
    title: 'empty file in the multipart field',
    payload: restOnly(() => ({ kind: 'rest-multipart', parts: [{ field: 'image', fileName: 'empty.jpg', bytes: Buffer.alloc(0) }] })),
    expected: { rest: REST_400(['IMAGE_EMPTY']) },
  },
  { id: 'non-image', title: 'random bytes with no image signature', payload: both(() => imageOf(makeNonImageBytes(), 'noise.bin')), expected: UNREADABLE },
  { id: 'text-as-jpg', title: 'plain text named .jpg', payload: both(() => imageOf(makeTextBytes(), 'notes.jpg')), expected: UNREADABLE },
  { id: 'truncated-jpeg', title: 'JPEG cut off half way', payload: both(async () => imageOf(await makeTruncatedJpeg(), 'cut.jpg')), expected: UNREADABLE },
  { id: 'truncated-png', title: 'PNG cut off half way', payload: both(async () => imageOf(await makeTruncatedPng(), 'cut.png')), expected: UNREADABLE },
  { id: 'bad-crc-png', title: 'PNG with a broken chunk CRC', payload: both(async () => imageOf(await makeBadCrcPng(), 'crc.png')), expected: UNREADABLE },
  {
    id: 'over-image-bytes',
    title: `valid PNG over PIPELINE_MAX_IMAGE_BYTES (${LIGHT_LIMITS.maxImageBytes} B), under the message limit`,
    payload: both(async () => imageOf(await makeIncompressiblePng(LIGHT_LIMITS.maxImageBytes + 40_000), 'big.png')),
    expected: { rest: { status: '413', codes: ['IMAGE_TOO_LARGE'] }, grpc: { status: 'RESOURCE_EXHAUSTED', codes: ['IMAGE_TOO_LARGE'] } },
  },
  {
    id: 'over-message-bytes',
    title: `request over the orchestrator's request limit (${LIGHT_LIMITS.orchestratorRequestBytes} B): REST body limit, gRPC max message size`,
    payload: both(async () => imageOf(await makeIncompressiblePng(LIGHT_LIMITS.orchestratorRequestBytes + 300_000), 'huge.png')),
    // At the orchestrator grpc-js refuses the message itself, before any handler: no pipeline code
    // in the trailers. A stage takes raw pixels of the pixel limit, so there the stage refuses it.
    expected: { rest: { status: '413', codes: ['IMAGE_TOO_LARGE'] }, grpc: { status: 'RESOURCE_EXHAUSTED', codes: [] } },
  },
  {
    id: 'png-bomb',
    title: 'decompression bomb: 100000×100000 PNG header, ~100 bytes',
    payload: both(() => imageOf(makePngBomb(), 'bomb.png')),
    expected: { rest: { status: '413', codes: ['IMAGE_TOO_MANY_PIXELS'] }, grpc: { status: 'RESOURCE_EXHAUSTED', codes: ['IMAGE_TOO_MANY_PIXELS'] } },
  },
  { id: 'svg-external', title: 'SVG with external references (http image, stylesheet, file://)', payload: both(() => imageOf(makeSvgWithExternalReferences(), 'x.svg')), expected: UNSUPPORTED },
  { id: 'pdf', title: 'PDF header', payload: both(() => imageOf(makePdfHeader(), 'doc.pdf')), expected: UNSUPPORTED },
  {
    id: 'multipart-no-file',
    title: 'multipart with a field but no file',
    payload: restOnly(() => ({ kind: 'rest-multipart', parts: [{ field: 'topK', bytes: Buffer.from('3') }] })),
    expected: { rest: REST_400(['INVALID_ARGUMENT', 'IMAGE_EMPTY']) },
  },
  {
    id: 'multipart-two-files',
    title: 'multipart with two files in field "image"',
    payload: async (protocol) => {
      if (protocol !== 'rest') return undefined;
      const bytes = await makeGoodJpeg(32, 24);
      return { kind: 'rest-multipart', parts: [{ field: 'image', fileName: 'a.jpg', bytes }, { field: 'image', fileName: 'b.jpg', bytes }] };
    },
    expected: { rest: REST_400(['INVALID_ARGUMENT']) },
  },
  {
    id: 'multipart-wrong-field',
    title: 'multipart with the file in field "file" instead of "image"',
    payload: async (protocol) =>
      protocol === 'rest' ? { kind: 'rest-multipart', parts: [{ field: 'file', fileName: 'a.jpg', bytes: await makeGoodJpeg(32, 24) }] } : undefined,
    expected: { rest: REST_400(['INVALID_ARGUMENT']) },
  },
  {
    id: 'wrong-content-type',
    title: 'JPEG bytes sent as text/plain',
    payload: async (protocol) => (protocol === 'rest' ? { kind: 'rest-body', contentType: 'text/plain', body: await makeGoodJpeg(32, 24) } : undefined),
    expected: { rest: { status: '415', codes: ['IMAGE_UNSUPPORTED_FORMAT'] } },
  },
  {
    id: 'json-no-image',
    title: 'JSON body without the image field',
    payload: restOnly(() => ({ kind: 'rest-body', contentType: 'application/json', body: Buffer.from('{"topK":3}') })),
    expected: { rest: REST_400(['INVALID_ARGUMENT', 'IMAGE_EMPTY']) },
  },
  {
    id: 'malformed-protobuf',
    title: 'garbage bytes as the gRPC request message',
    payload: grpcOnly(() => ({ kind: 'grpc-raw', bytes: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0xff, 0x01, 0x02]) })),
    expected: { grpc: GRPC_INVALID(['INVALID_ARGUMENT']) },
  },
  {
    id: 'missing-image',
    title: 'request message with no image field',
    payload: grpcOnly(() => ({ kind: 'grpc-no-image' })),
    expected: { grpc: GRPC_INVALID(['IMAGE_EMPTY', 'INVALID_ARGUMENT']) },
  },
];

/** An odd but valid image sent through the whole pipeline: it must come out as RGBA PNG of this size. */
export interface ValidImageCase {
  id: string;
  title: string;
  make(): Promise<Buffer>;
  fileName: string;
  width: number;
  height: number;
}

/** Shape decisions: 1×1 and 10000×2 / 2×10000 (aspect 5000:1) are accepted and processed at their size. */
export const VALID_IMAGE_CASES: readonly ValidImageCase[] = [
  { id: 'png-16-bit', title: '16-bit RGB PNG', make: () => makeSixteenBitPng(), fileName: 'deep.png', width: 32, height: 24 },
  { id: 'jpeg-cmyk', title: 'CMYK JPEG without ICC profile', make: () => makeCmykJpeg(), fileName: 'cmyk.jpg', width: 32, height: 24 },
  { id: 'png-greyscale', title: 'one-channel greyscale PNG', make: () => makeGreyscalePng(), fileName: 'grey.png', width: 32, height: 24 },
  { id: 'png-palette', title: 'palette PNG with transparency', make: () => makePalettePng(), fileName: 'palette.png', width: 32, height: 24 },
  { id: 'gif-animated', title: 'three-frame animated GIF (first frame used)', make: () => makeAnimatedGif(), fileName: 'anim.gif', width: 24, height: 16 },
  { id: 'jpeg-exif-6', title: 'JPEG 40×20 with EXIF orientation 6 (shown 20×40)', make: () => makeExifRotatedJpeg(40, 20), fileName: 'rotated.jpg', width: 20, height: 40 },
  { id: 'tiny-1x1', title: '1×1 PNG', make: () => sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer(), fileName: 'dot.png', width: 1, height: 1 },
  { id: 'wide-10000x2', title: '10000×2 PNG (aspect 5000:1)', make: () => makeGoodPng(10_000, 2), fileName: 'wide.png', width: 10_000, height: 2 },
  { id: 'tall-2x10000', title: '2×10000 PNG (aspect 1:5000)', make: () => makeGoodPng(2, 10_000), fileName: 'tall.png', width: 2, height: 10_000 },
];

async function makeGoodPng(width: number, height: number): Promise<Buffer> {
  const raw = makeNoisyGradient({ width, height });
  return sharp(raw.data, { raw: { width, height, channels: raw.channels } }).png().toBuffer();
}
