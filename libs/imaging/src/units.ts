/** Human-readable sizes for error messages (not exported from the lib). */

/** `1234` → `"1234 B"`, `52428800` → `"50 MiB"`, `65536000` → `"62.5 MiB"`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : trimmed(value)} ${units[unit]}`;
}

/** `40_000_000` → `"40 MP"`, `1.08e10` → `"10.8 GP"` (decimal, as cameras count). */
export function formatPixels(pixels: number): string {
  if (pixels >= 1e9) return `${trimmed(pixels / 1e9)} GP`;
  if (pixels >= 1e6) return `${trimmed(pixels / 1e6)} MP`;
  if (pixels >= 1e3) return `${trimmed(pixels / 1e3)} kP`;
  return `${pixels} px`;
}

/**
 * `"120000×90000 = 10.8 GP, over the limit of 52 MP"`; exact counts where rounding would show the
 * same number twice (`"2000×1501 = 3002000 px, over the limit of 3000000 px"`).
 */
export function overPixelLimit(width: number, height: number, maxPixels: number): string {
  const pixels = width * height;
  const [shown, limit] = [formatPixels(pixels), formatPixels(maxPixels)];
  return shown === limit
    ? `${width}×${height} = ${pixels} px, over the limit of ${maxPixels} px`
    : `${width}×${height} = ${shown}, over the limit of ${limit}`;
}

function trimmed(value: number): string {
  return String(Number(value.toFixed(value < 10 ? 2 : 1)));
}
