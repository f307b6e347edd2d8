import { PipelineError, PipelineErrorCode, type Image } from '@imagepipeline/contracts';

/** Checks that a request carries an image with bytes; transports may hand over partial messages. */
export function requireImage(image: Image | undefined): Image {
  if (!image) throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, 'request has no image');
  if (!image.data || image.data.length === 0) {
    throw new PipelineError(PipelineErrorCode.IMAGE_EMPTY, `image "${image.fileName || 'unnamed'}" has no bytes`);
  }
  return image;
}

/** The wire form of an encoded PNG produced by a stage. */
export function pngImage(data: Buffer, width: number, height: number, fileName: string): Image {
  return { data, format: 'png', width, height, fileName };
}
