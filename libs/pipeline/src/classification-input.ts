import { CLASSIFICATION_SHORT_SIDE, RAW_PIXELS_FORMAT, type Image } from '@imagepipeline/contracts';
import { rawPixelsImage, readPixels, resizeShortSide } from '@imagepipeline/imaging';
import { UNCHECKED_LIMITS } from './unchecked-limits';

/**
 * What the classifier is sent: raw pixels larger than it looks at are scaled to its shorter side
 * first, as it would scale them itself, so a 12 MP photo crosses as 0.3 MB instead of 36 MB; the
 * model sees the same pixels. Anything else goes as it is.
 */
export async function classificationInput(image: Image): Promise<Image> {
  if (image.format !== RAW_PIXELS_FORMAT || Math.min(image.width, image.height) <= CLASSIFICATION_SHORT_SIDE) return image;
  const preview = await resizeShortSide(await readPixels(image, UNCHECKED_LIMITS), CLASSIFICATION_SHORT_SIDE);
  return rawPixelsImage(preview, image.fileName);
}
