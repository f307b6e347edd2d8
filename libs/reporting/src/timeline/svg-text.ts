/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Rough width of sans-serif text: about 0.6 em per character (DejaVu Sans, Arial). */
export function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** Shortens text with an ellipsis so it fits in `maxWidth` pixels. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
  const maxChars = Math.floor(maxWidth / (fontSize * 0.6));
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** Rounds a coordinate to 0.1 px to keep the SVG small. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
