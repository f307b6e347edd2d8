import sharp from 'sharp';
import { Tensor } from 'onnxruntime-node';
import { CLASSIFICATION_SHORT_SIDE, PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { MOBILENETV2_INT8_MODEL } from './catalog';
import { rgbToNormalisedChw } from './image-net-normalise';
import { imagenetLabel } from './labels';
import { loadModel, type LoadedModel, type ModelLoadOptions } from './load-model';
import { assertRawImage, shortSideSize, withoutAlpha, type RawImage } from '@imagepipeline/imaging';

const CROP = 224;
const CLASSES = 1000;

/** One ImageNet class with its softmax probability. */
export interface ClassPrediction {
  /** Short class name: the first comma-separated name of the ImageNet label. */
  label: string;
  /** 0..999, ImageNet-1k order. */
  classIndex: number;
  /** Softmax probability, 0..1. */
  probability: number;
}

/** What an image shows: the top-1 label and the `topK` most likely classes, most likely first. */
export interface Classification {
  label: string;
  topK: ClassPrediction[];
}

/**
 * ImageNet-1k classification with MobileNetV2 int8.
 * Create with {@link ImageClassifier.load}; `close()` when done.
 */
export class ImageClassifier {
  private closed = false;

  private constructor(
    /** The model file and session in use. */
    readonly model: LoadedModel,
  ) {}

  /**
   * Resolves, verifies and warms up MobileNetV2 int8 (`mobilenetv2-12-int8.onnx`).
   * @throws PipelineError `MODEL_UNAVAILABLE` when the model cannot be found or loaded.
   */
  static async load(options: ModelLoadOptions = {}): Promise<ImageClassifier> {
    return new ImageClassifier(await loadModel(MOBILENETV2_INT8_MODEL, options));
  }

  /**
   * Classifies `image` (resize shorter side to 256, centre crop 224, ImageNet normalisation).
   * @throws PipelineError `INVALID_ARGUMENT` for an inconsistent raw image or `topK` outside 1..1000.
   */
  async classify(image: RawImage, topK = 5): Promise<Classification> {
    checkTopK(topK);
    return this.rank(await this.probabilities(image), topK);
  }

  /** The model's softmax probabilities of the 1000 classes for `image`: `classify` without the ranking. */
  async probabilities(image: RawImage): Promise<Float64Array> {
    assertRawImage(image);
    if (this.closed) throw new PipelineError(PipelineErrorCode.MODEL_UNAVAILABLE, 'ImageClassifier is closed');
    const rgb = await centreCrop(image);
    const input = new Tensor('float32', rgbToNormalisedChw(rgb, CROP * CROP), [1, 3, CROP, CROP]);
    const { name: outputName } = MOBILENETV2_INT8_MODEL.output;
    const outputs = await this.model.infer({ [MOBILENETV2_INT8_MODEL.input.name]: input }, [outputName]);
    return softmax(outputs[outputName].data as Float32Array);
  }

  /**
   * The `topK` most probable classes, best first, with their labels: the answer `classify` gives.
   * @throws PipelineError `INVALID_ARGUMENT` for `topK` outside 1..1000.
   */
  rank(probabilities: Float64Array, topK: number): Classification {
    checkTopK(topK);
    // The int8 model's logits are quantised, so exact ties happen: the stable sort keeps the lower
    // class index first, like argmax.
    const ranked = Array.from(probabilities.keys())
      .sort((a, b) => probabilities[b] - probabilities[a])
      .slice(0, topK)
      .map((classIndex) => ({
        label: imagenetLabel(classIndex) ?? String(classIndex),
        classIndex,
        probability: probabilities[classIndex],
      }));
    return { label: ranked[0].label, topK: ranked };
  }

  /** Releases this classifier's hold on the shared session. Later `classify` calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.model.release();
  }
}

function checkTopK(topK: number): void {
  if (!Number.isInteger(topK) || topK < 1 || topK > CLASSES) {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `topK must be an integer from 1 to ${CLASSES}, got ${String(topK)}`);
  }
}

/**
 * Shorter side to 256 (aspect kept), then the centre 224×224, as interleaved RGB bytes.
 * Bilinear, like the reference torchvision `Resize(256)`. With sharp's default lanczos3 the int8
 * model's quantised logits tied on a red-fox photo (red fox = Arctic fox); bilinear separated them.
 */
async function centreCrop(image: RawImage): Promise<Buffer> {
  const { width, height } = image;
  const size = shortSideSize(width, height, CLASSIFICATION_SHORT_SIDE);
  // One pipeline: the resized image of a very long photo (10000×2 → 1280000×256) is never made whole.
  const pixels = sharp(withoutAlpha(image).data, { raw: { width, height, channels: 3 } });
  const resized = size.width === width && size.height === height ? pixels : pixels.resize(size.width, size.height, { fit: 'fill', kernel: 'linear' });
  return resized
    .extract({ left: Math.round((size.width - CROP) / 2), top: Math.round((size.height - CROP) / 2), width: CROP, height: CROP })
    .raw()
    .toBuffer();
}

function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const value of logits) if (value > max) max = value;
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i += 1) {
    out[i] = Math.exp(logits[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i += 1) out[i] /= sum;
  return out;
}
