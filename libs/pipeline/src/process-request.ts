import { PipelineError, PipelineErrorCode, type Image, type ProcessRequest } from '@imagepipeline/contracts';

/** Predictions returned when a request asks for `topK: 0`. */
export const DEFAULT_TOP_K = 5;
/** The most predictions a request may ask for (ImageNet has 1000 classes). */
export const MAX_TOP_K = 1000;
/** File names longer than this are shortened, keeping their extension. */
const MAX_FILE_NAME_LENGTH = 200;
/** Base name used when nothing safe is left of the given one. */
const FALLBACK_FILE_NAME = 'image';

/** A checked `ProcessRequest`: an image with bytes and a safe file name, and a concrete topK. */
export interface ValidProcessRequest {
  image: Image;
  topK: number;
  includeIntermediates: boolean;
}

/**
 * Checks a request at the pipeline's edge and normalises it: the image must be present with bytes,
 * `topK` an integer from 0 to `MAX_TOP_K` (0 → `DEFAULT_TOP_K`), and the file name is reduced to a
 * safe base name. Throws an INVALID_ARGUMENT PipelineError naming the field, what was expected and
 * what arrived.
 */
export function validateProcessRequest(request: ProcessRequest | undefined): ValidProcessRequest {
  if (typeof request !== 'object' || request === null) invalid('request', 'an object', request);
  const image = request.image;
  if (typeof image !== 'object' || image === null) invalid('image', 'an image', image);
  if (!(image.data instanceof Uint8Array)) invalid('image.data', 'bytes', image.data);
  if (image.data.length === 0) invalid('image.data', 'at least one byte', '0 bytes');
  const topK = request.topK ?? 0;
  if (typeof topK !== 'number' || !Number.isSafeInteger(topK) || topK < 0 || topK > MAX_TOP_K) {
    invalid('topK', `an integer from 0 to ${MAX_TOP_K}`, topK);
  }
  // Callers outside ts-proto may hand a plain Uint8Array; the wire type wants a Buffer.
  const bytes: Uint8Array = image.data;
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    image: { ...image, data, fileName: sanitizeFileName(image.fileName) },
    topK: topK === 0 ? DEFAULT_TOP_K : topK,
    includeIntermediates: request.includeIntermediates === true,
  };
}

/**
 * Reduces a client-supplied file name to a safe base name: directories (`/` and `\`) are dropped,
 * characters other than letters, digits, `.`, `_` and `-` become `_`, leading dots are removed (no
 * hidden files, no `..`), Windows device names are prefixed with `_`, and the result is at most
 * 200 characters, keeping the extension. An empty result becomes `image`.
 */
export function sanitizeFileName(fileName: string | undefined): string {
  const base = String(fileName ?? '').split(/[\\/]/).pop() ?? '';
  let safe = base
    .normalize('NFC')
    .trim()
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(safe)) safe = `_${safe}`;
  if (safe.length > MAX_FILE_NAME_LENGTH) {
    const extension = /\.[\p{L}\p{N}]{1,16}$/u.exec(safe)?.[0] ?? '';
    safe = safe.slice(0, MAX_FILE_NAME_LENGTH - extension.length) + extension;
  }
  return safe.length > 0 ? safe : FALLBACK_FILE_NAME;
}

function invalid(field: string, expected: string, actual: unknown): never {
  const shown = typeof actual === 'string' ? actual : describe(actual);
  throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `${field}: expected ${expected}, got ${shown}`);
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
