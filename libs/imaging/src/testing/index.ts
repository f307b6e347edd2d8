/**
 * Test helpers for code that handles images: the repository's photos, odd and hostile image bytes,
 * and synthetic pixels. Import from `@imagepipeline/imaging/testing`; production code never does.
 */
export { readPhotosIn, readTestPhotos, testPhotoImage, testPhotoPath, type PhotoFile } from './test-photos';
export {
  makeAnimatedGif,
  makeBadCrcPng,
  makeCmykJpeg,
  makeExifRotatedJpeg,
  makeGreyscalePng,
  makeHeicHeader,
  makeImageAs,
  makePalettePng,
  makePdfHeader,
  makePngBomb,
  makeSixteenBitPng,
  makeSvg,
  makeTextBytes,
  makeTruncatedJpeg,
  makeTruncatedPng,
} from './odd-images';
export { makeNoisyGradient, makeRandomImage, photoSize, seededRandom, type NoisyGradientOptions } from './synthetic-images';
export { referenceMedianFilter } from './reference-median';
export { catchPipelineError } from './catch-pipeline-error';
