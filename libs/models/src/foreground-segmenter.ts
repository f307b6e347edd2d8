import sharp from 'sharp';
import { Tensor } from 'onnxruntime-node';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import { U2NETP_MODEL } from './catalog';
import { rgbToNormalisedChw } from './image-net-normalise';
import { loadModel, type LoadedModel, type ModelLoadOptions } from './load-model';
import { assertRawImage, withoutAlpha, type AlphaMask, type RawImage } from '@imagepipeline/imaging';

const SIZE = 320;

/**
 * Salient-object segmentation with U2-Net-p: one 8-bit mask per image, at the image's own size.
 * Create with {@link ForegroundSegmenter.load}; `close()` when done.
 */
export class ForegroundSegmenter {
  private closed = false;

  private constructor(
    /** The model file and session in use. */
    readonly model: LoadedModel,
  ) {}

  /**
   * Resolves, verifies and warms up U2-Net-p (`u2netp.onnx`).
   * @throws PipelineError `MODEL_UNAVAILABLE` when the model cannot be found or loaded.
   */
  static async load(options: ModelLoadOptions = {}): Promise<ForegroundSegmenter> {
    return new ForegroundSegmenter(await loadModel(U2NETP_MODEL, options));
  }

  /**
   * The foreground mask of `image` at the model's resolution (320×320): 0 = background, 255 =
   * foreground, min–max normalised per image. `applyAlphaMask` scales it to the image once, as it
   * applies it. Alpha in the input is ignored.
   * @throws PipelineError `INVALID_ARGUMENT` for an inconsistent raw image.
   */
  async segment(image: RawImage): Promise<AlphaMask> {
    assertRawImage(image);
    const model = this.requireModel();
    const { width, height } = image;

    const rgb = await sharp(withoutAlpha(image).data, { raw: { width, height, channels: 3 } })
      .resize(SIZE, SIZE, { fit: 'fill' })
      .raw()
      .toBuffer();
    const input = new Tensor('float32', rgbToNormalisedChw(rgb, SIZE * SIZE), [1, 3, SIZE, SIZE]);
    const outputName = U2NETP_MODEL.output.name;
    const outputs = await model.infer({ [U2NETP_MODEL.input.name]: input }, [outputName]);
    return { data: toByteMask(outputs[outputName].data as Float32Array), width: SIZE, height: SIZE };
  }

  /** Releases this segmenter's hold on the shared session. Later `segment` calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.model.release();
  }

  private requireModel() {
    if (this.closed) throw new PipelineError(PipelineErrorCode.MODEL_UNAVAILABLE, 'ForegroundSegmenter is closed');
    return this.model;
  }
}

/** Min–max normalises the raw prediction to 0..255. A flat prediction gives an all-zero mask. */
function toByteMask(prediction: Float32Array): Uint8Array {
  let min = Infinity;
  let max = -Infinity;
  for (const value of prediction) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mask = new Uint8Array(prediction.length);
  const range = max - min;
  if (!(range > 0)) return mask;
  const scale = 255 / range;
  // Uint8Array assignment truncates; +0.5 rounds.
  for (let i = 0; i < prediction.length; i += 1) mask[i] = (prediction[i] - min) * scale + 0.5;
  return mask;
}
