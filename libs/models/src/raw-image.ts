import type { RawImage } from '@imagepipeline/imaging';

/**
 * The image's RGB bytes: the data itself for RGB, a copy without the alpha bytes for RGBA.
 * Alpha is dropped before any resize: sharp would otherwise premultiply it into the colours.
 */
export function rgbBytes(image: RawImage): Uint8Array {
  if (image.channels === 3) return image.data;
  const pixels = image.width * image.height;
  const rgb = new Uint8Array(pixels * 3);
  const { data } = image;
  for (let i = 0, s = 0, d = 0; i < pixels; i += 1, s += 4, d += 3) {
    rgb[d] = data[s];
    rgb[d + 1] = data[s + 1];
    rgb[d + 2] = data[s + 2];
  }
  return rgb;
}
