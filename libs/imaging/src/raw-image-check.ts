import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RawImage } from './raw-image';

/** Throws `INVALID_ARGUMENT` unless `raw` is a consistent RawImage: 8-bit RGB or RGBA, data of the right length. */
export function assertRawImage(raw: RawImage, name = 'image'): void {
  const fail = (message: string) => new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `${name}: ${message}`);
  if (typeof raw !== 'object' || raw === null) throw fail(`expected a RawImage, got ${String(raw)}`);
  const { data, width, height, channels } = raw;
  if (!(data instanceof Uint8Array)) throw fail('data must be a Uint8Array');
  if (!Number.isSafeInteger(width) || width <= 0) throw fail(`width must be a positive integer, got ${width}`);
  if (!Number.isSafeInteger(height) || height <= 0) throw fail(`height must be a positive integer, got ${height}`);
  if (channels !== 3 && channels !== 4) throw fail(`channels must be 3 or 4, got ${channels}`);
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw fail(`data has ${data.length} bytes, expected ${width}×${height}×${channels} = ${expected}`);
  }
}
