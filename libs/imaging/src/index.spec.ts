import { describe, expect, it } from 'vitest';
import * as imaging from './index';
import * as testing from './testing';

describe('public API', () => {
  it('exports exactly these values from @imagepipeline/imaging', () => {
    expect(Object.keys(imaging).sort()).toEqual([
      'DEFAULT_IMAGE_LIMITS',
      'assertImageLimits',
      'assertRawImage',
      'decodeImage',
      'encodeCutOutPng',
      'encodePng',
      'inspectImage',
      'medianFilter',
      'noiseLevel',
      'rawPixelsImage',
      'readPixels',
      'resizeShortSide',
      'scaleMask',
      'shortSideSize',
      'withoutAlpha',
    ]);
  });

  it('exports exactly these helpers from @imagepipeline/imaging/testing', () => {
    expect(Object.keys(testing).sort()).toEqual([
      'catchPipelineError',
      'makeAnimatedGif',
      'makeBadCrcPng',
      'makeCmykJpeg',
      'makeExifRotatedJpeg',
      'makeGreyscalePng',
      'makeHeicHeader',
      'makeImageAs',
      'makeNoisyGradient',
      'makePalettePng',
      'makePdfHeader',
      'makePngBomb',
      'makeRandomImage',
      'makeSixteenBitPng',
      'makeSvg',
      'makeTextBytes',
      'makeTruncatedJpeg',
      'makeTruncatedPng',
      'photoSize',
      'readPhotosIn',
      'readTestPhotos',
      'referenceMedianFilter',
      'seededRandom',
      'testPhotoImage',
      'testPhotoPath',
    ]);
  });
});
