/**
 * Decoded pixels, 8 bits per channel, interleaved, sRGB, no row padding:
 * `data.length === width * height * channels`.
 */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 3 = RGB, 4 = RGBA. */
  channels: 3 | 4;
}
