import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { RawImage } from '../raw-image';
import { assertRawImage } from '../raw-image-check';
import { align, medianWasm } from './median-wasm';

/** Smallest and largest kernel `medianFilter` accepts. */
const MIN_KERNEL = 3;
const MAX_KERNEL = 15;

/** Sorted rows of one strip should stay in L2 cache; narrower strips only add per-row overhead. */
const STRIP_SORTED_BYTES = 256 * 1024;
const MIN_STRIP_PIXELS = 64;

/**
 * Median filter with a square `kernelSize × kernelSize` window (odd, 3 to 15), like OpenCV's
 * `medianBlur`: each colour channel separately, edges replicated (`BORDER_REPLICATE`).
 * The alpha channel of an RGBA image is left as it was: it is a mask, not noisy colour.
 *
 * Runs in WebAssembly SIMD, 16 bytes at a time with interleaved channels filtered together. Rows
 * stream through a ring of k+1 rows and wide images go in vertical strips, so memory stays bounded
 * whatever the image size. The module is instantiated on first use (synchronously; the first call
 * costs a few milliseconds more while the engine compiles the kernels).
 */
export function medianFilter(raw: RawImage, kernelSize = 5): RawImage {
  assertRawImage(raw);
  if (!Number.isInteger(kernelSize) || kernelSize % 2 === 0 || kernelSize < MIN_KERNEL || kernelSize > MAX_KERNEL) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `median kernelSize must be an odd integer from ${MIN_KERNEL} to ${MAX_KERNEL}, got ${kernelSize}`,
    );
  }
  return runMedian(raw, kernelSize);
}

/** Strip width in pixels for a kernel: the whole row for usual photo widths at k = 5. */
export function stripPixelsFor(kernelSize: number, channels: number): number {
  const perPixel = (kernelSize + 1) * kernelSize * channels;
  return Math.max(MIN_STRIP_PIXELS, Math.floor(STRIP_SORTED_BYTES / perPixel));
}

/**
 * The filter proper, in vertical strips of `stripPixels` output pixels (exported for tests, which
 * use narrow strips to check the seams). Wasm memory grows with the strip width only.
 */
export function runMedian(raw: RawImage, k: number, stripPixels = stripPixelsFor(k, raw.channels)): RawImage {
  const { data, width, height, channels } = raw;
  const wasm = medianWasm();
  const sortRows = wasm.sortRows(k, channels);
  const medianRowPair = wasm.medianRowPair(k);
  const radius = (k - 1) / 2;
  const slots = k + 1;
  const rowBytes = width * channels;
  const maxStrip = Math.min(stripPixels, width);

  // Layout: pointer table | k+1 padded source rows | their k+1 sorted rows | two output rows.
  // Kernels work in whole 16-byte chunks and read up to 15 bytes past a padded row.
  const maxChunkBytes = align(maxStrip * channels, 16);
  const sourceSlotBytes = align((maxStrip + 2 * radius) * channels + 16, 16);
  const sortedSlotBytes = maxChunkBytes * k;
  const tableBytes = align(slots * 4, 64);
  const { start, memory } = wasm.reserve(tableBytes + slots * (sourceSlotBytes + sortedSlotBytes) + 2 * maxChunkBytes);
  const table = start;
  const sources = table + tableBytes;
  const sorted = sources + slots * sourceSlotBytes;
  const out0 = sorted + slots * sortedSlotBytes;
  const out1 = out0 + maxChunkBytes;
  const heap = new Uint8Array(memory.buffer);
  const tableView = new Uint32Array(memory.buffer, table, slots);
  const output = new Uint8Array(data.length);

  for (let x0 = 0; x0 < width; x0 += maxStrip) {
    const stripWidth = Math.min(maxStrip, width - x0);
    const stripBytes = stripWidth * channels;
    const chunkBytes = align(stripBytes, 16);
    const left = x0 - radius; // first source pixel of a padded strip row; may be off the image
    const right = x0 + stripWidth + radius; // one past the last
    const from = Math.max(left, 0);
    const to = Math.min(right, width);

    /** Copies the strip of image row `paddedRow - radius` (edges replicated) into its slot; sorts it. */
    const loadRow = (paddedRow: number) => {
      const slot = paddedRow % slots;
      const source = sources + slot * sourceSlotBytes;
      const rowStart = Math.min(Math.max(paddedRow - radius, 0), height - 1) * rowBytes;
      heap.set(data.subarray(rowStart + from * channels, rowStart + to * channels), source + (from - left) * channels);
      const firstPixel = data.subarray(rowStart, rowStart + channels);
      const lastPixel = data.subarray(rowStart + rowBytes - channels, rowStart + rowBytes);
      for (let x = left; x < from; x++) heap.set(firstPixel, source + (x - left) * channels);
      for (let x = to; x < right; x++) heap.set(lastPixel, source + (x - left) * channels);
      sortRows(source, sorted + slot * sortedSlotBytes, chunkBytes);
    };

    /** Copies output row `y` of the strip out of wasm memory, alpha restored from the source. */
    const emitRow = (y: number, out: number) => {
      if (channels === 4) {
        wasm.restoreAlpha(sources + ((y + radius) % slots) * sourceSlotBytes + radius * 4, out, chunkBytes);
      }
      output.set(heap.subarray(out, out + stripBytes), y * rowBytes + x0 * channels);
    };

    let loaded = 0;
    for (let y = 0; y < height; y += 2) {
      // Output rows y and y+1 read padded rows y .. y+k (the last pair of an odd height reads one
      // replicated row past the end and drops its second output).
      while (loaded <= y + k) loadRow(loaded++);
      for (let t = 0; t <= k; t++) tableView[t] = sorted + ((y + t) % slots) * sortedSlotBytes;
      medianRowPair(table, out0, out1, chunkBytes);
      emitRow(y, out0);
      if (y + 1 < height) emitRow(y + 1, out1);
    }
  }
  return { data: output, width, height, channels };
}
