/** The four stages in pipeline order, named as they appear on the wire (`StageSpan.stage`). */
export const STAGE_NAMES = ['upload', 'noise_reduction', 'background_removal', 'classification'] as const;

export type StageName = (typeof STAGE_NAMES)[number];

/** Raster formats the pipeline accepts, as reported in `Image.format`. */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const;

export type ImageFormat = (typeof IMAGE_FORMATS)[number];
