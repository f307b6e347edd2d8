import { PipelineError, PipelineErrorCode, ProcessResult, REST_ROUTES, type Image } from '@imagepipeline/contracts';

/**
 * Most image bytes one JSON answer carries as base64: 4/3 of it must stay well under V8's longest
 * string (about 512 MiB), which the whole answer is built into.
 */
export const MAX_JSON_IMAGE_BYTES = 300 * 1024 * 1024;

/**
 * A ProcessResult as JSON: with the images' bytes as base64, or with `withImageBytes` false only
 * their metadata. Throws IMAGE_TOO_LARGE when the images are too big for one JSON answer, naming
 * the binary routes to use instead.
 */
export function processResultJson(result: ProcessResult, withImageBytes = true): unknown {
  const images = [result.processedImage, result.uploadedImage, result.denoisedImage];
  if (!withImageBytes) {
    const [processedImage, uploadedImage, denoisedImage] = images.map(withoutBytes);
    return ProcessResult.toJSON({ ...result, processedImage, uploadedImage, denoisedImage });
  }
  const bytes = images.reduce((sum, image) => sum + (image?.data.length ?? 0), 0);
  if (bytes > MAX_JSON_IMAGE_BYTES) {
    throw new PipelineError(
      PipelineErrorCode.IMAGE_TOO_LARGE,
      `the result's images are ${bytes} bytes, too many for one JSON answer (at most ${MAX_JSON_IMAGE_BYTES}): ` +
        `ask for Accept: image/png, or submit to ${REST_ROUTES.jobs} and read ${REST_ROUTES.job}?images=false ` +
        `and each image from ${REST_ROUTES.jobImage}?which=processed|uploaded|denoised`,
    );
  }
  return ProcessResult.toJSON(result);
}

function withoutBytes(image: Image | undefined): Image | undefined {
  return image && { ...image, data: Buffer.alloc(0) };
}
