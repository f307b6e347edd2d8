/** Tableau 10: distinct, colour-blind-friendlier than the defaults, readable on white. */
const TABLEAU_10 = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of the n-th image: Tableau 10 first, then golden-angle hues. */
export function seriesColour(n: number): string {
  if (n < TABLEAU_10.length) return TABLEAU_10[n];
  const hue = Math.round((n * 137.508) % 360);
  const lightness = n % 2 === 0 ? 46 : 60;
  return hslToHex(hue, 58, lightness);
}

/** Black or white, whichever reads better on the given background. */
export function textColourOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.6 ? '#1f2933' : '#ffffff';
}

function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const channel = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return `#${[0, 8, 4].map((n) => Math.round(channel(n) * 255).toString(16).padStart(2, '0')).join('')}`;
}
