/** Raster formats the pipeline accepts, as reported in `Image.format`. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const;

export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** `Image.format` of raw pixels: how stages hand images to each other (see `pipeline.proto`). */
export const RAW_PIXELS_FORMAT = 'raw';

/** Values of a stage request's `outputFormat`: a PNG file (the default, also for "") or raw pixels. */
export const STAGE_OUTPUT_FORMATS = ['png', RAW_PIXELS_FORMAT] as const;

export type StageOutputFormat = (typeof STAGE_OUTPUT_FORMATS)[number];

/**
 * The shorter side an image is scaled to for classification (MobileNetV2's ImageNet preprocessing:
 * resize to 256, centre crop 224). The orchestrator sends the classifier no more than that.
 */
export const CLASSIFICATION_SHORT_SIDE = 256;

/** Default image limits, shared by every service and client: 50 MiB encoded. */
export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;

/**
 * Default pixel limit: 52 MP covers the 48–50 MP sensors of today's phones and cameras
 * (8000×6000, 8160×6120, 8192×6144).
 */
export const DEFAULT_MAX_PIXELS = 52_000_000;
