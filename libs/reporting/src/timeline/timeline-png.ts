import sharp from 'sharp';

/** Rendering scale of `timeline.png` relative to the SVG's CSS pixels (crisp on high-DPI screens). */
export const TIMELINE_PNG_SCALE = 2;

/**
 * Renders an SVG to PNG with sharp (librsvg, fonts from fontconfig; no browser).
 * The PNG is `scale` times the SVG's width and height.
 */
export async function renderSvgToPng(svg: string, scale = TIMELINE_PNG_SCALE): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 * scale })
    .flatten({ background: '#ffffff' })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
}
