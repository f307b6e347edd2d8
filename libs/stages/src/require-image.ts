import {
  PipelineError,
  PipelineErrorCode,
  RAW_PIXELS_FORMAT,
  STAGE_OUTPUT_FORMATS,
  type Image,
  type StageOutputFormat,
} from '@imagepipeline/contracts';
import { encodePng, rawPixelsImage, type RawImage } from '@imagepipeline/imaging';

/** Checks that a request carries an image with bytes; transports may hand over partial messages. */
export function requireImage(image: Image | undefined): Image {
  if (!image) throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, 'request has no image');
  if (!image.data || image.data.length === 0) {
    throw new PipelineError(PipelineErrorCode.IMAGE_EMPTY, `image "${image.fileName || 'unnamed'}" has no bytes`);
  }
  return image;
}

/** A request's `outputFormat`, checked: "" means PNG. Throws INVALID_ARGUMENT for anything else. */
export function requireOutputFormat(outputFormat: string | undefined): StageOutputFormat {
  const format = outputFormat || 'png';
  if (!(STAGE_OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `outputFormat must be ${STAGE_OUTPUT_FORMATS.join(' or ')}, got "${format}"`,
    );
  }
  return format as StageOutputFormat;
}

/** A stage's answer in the requested form: raw pixels as they are, or an encoded PNG file. */
export async function outputImage(raw: RawImage, fileName: string, format: StageOutputFormat): Promise<Image> {
  if (format === RAW_PIXELS_FORMAT) return rawPixelsImage(raw, fileName);
  return { data: await encodePng(raw), format: 'png', width: raw.width, height: raw.height, fileName, channels: 0 };
}
