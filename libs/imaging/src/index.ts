/**
 * Image handling for the pipeline stages: validate and decode untrusted bytes, denoise, composite
 * alpha, encode PNG. Test helpers are in `@imagepipeline/imaging/testing`.
 */
export type { RawImage } from './raw-image';
export { assertRawImage } from './raw-image-check';
export { DEFAULT_IMAGE_LIMITS, assertImageLimits, type ImageLimits } from './limits';
export { inspectImage, type ImageInfo } from './inspect-image';
export { decodeImage, type DecodedImage } from './decode-image';
export { encodePng, type EncodePngOptions } from './encode-png';
export { medianFilter } from './median/median-filter';
export { encodeCutOutPng, scaleMask, type AlphaMask } from './alpha-mask';
export { readPixels, rawPixelsImage } from './read-pixels';
export { resizeShortSide, shortSideSize, withoutAlpha } from './resize';
export { noiseLevel } from './noise-level';
