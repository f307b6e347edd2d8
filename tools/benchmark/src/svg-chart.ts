import { escapeXml, renderSvgToPng, seriesColour } from '@imagepipeline/reporting';

/** One line of a chart: x/y points and a legend label. */
export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  logX?: boolean;
  logY?: boolean;
}

const WIDTH = 760;
const HEIGHT = 440;
const M = { left: 70, right: 190, top: 40, bottom: 50 };

function scale(values: number[], log: boolean, from: number, to: number): (v: number) => number {
  const t = (v: number) => (log ? Math.log10(Math.max(v, 1e-6)) : v);
  const ts = values.map(t);
  let lo = Math.min(...ts);
  let hi = Math.max(...ts);
  if (!log) lo = Math.min(lo, 0);
  if (hi === lo) hi = lo + 1;
  const pad = log ? (hi - lo) * 0.04 : 0;
  lo -= pad;
  hi += pad;
  return (v) => from + ((t(v) - lo) / (hi - lo)) * (to - from);
}

function ticks(values: number[], log: boolean): number[] {
  const pad = log ? (Math.log10(Math.max(...values)) - Math.log10(Math.max(Math.min(...values), 1e-6))) * 0.04 : 0;
  const lo = Math.min(...values) / 10 ** pad;
  const hi = Math.max(...values) * 10 ** pad;
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(Math.max(lo, 1e-6))); e <= Math.ceil(Math.log10(Math.max(hi, 1e-6))); e++) {
      for (const m of [1, 2, 5]) out.push(m * 10 ** e);
    }
    return out.filter((v) => v >= lo && v <= hi);
  }
  const step = niceStep(Math.max(hi, 1e-9) / 5);
  return Array.from({ length: Math.floor(hi / step) + 1 }, (_, i) => i * step);
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

/** An SVG line chart with markers and a legend (no browser, no chart library). */
export function lineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = all.length ? all.map((p) => p.x) : [0, 1];
  const ys = all.length ? all.map((p) => p.y) : [0, 1];
  const x = scale(xs, !!chart.logX, M.left, WIDTH - M.right);
  const y = scale(ys, !!chart.logY, HEIGHT - M.bottom, M.top);
  const parts: string[] = [];
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? String(Math.round(v * 10) / 10) : String(Math.round(v * 1000) / 1000));
  for (const v of ticks(xs, !!chart.logX)) {
    if (x(v) < M.left - 1 || x(v) > WIDTH - M.right + 1) continue;
    parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${M.top}" y2="${HEIGHT - M.bottom}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${x(v)}" y="${HEIGHT - M.bottom + 16}" text-anchor="middle" font-size="11">${fmt(v)}</text>`);
  }
  for (const v of ticks(ys, !!chart.logY)) {
    if (y(v) < M.top - 1 || y(v) > HEIGHT - M.bottom + 1) continue;
    parts.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`);
  }
  chart.series.forEach((series, i) => {
    const colour = seriesColour(i);
    const points = series.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (points.length > 1) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map((p) => `${x(p.x)},${y(p.y)}`).join(' ')}"/>`);
    }
    for (const p of points.length <= 40 ? points : []) parts.push(`<circle cx="${x(p.x)}" cy="${y(p.y)}" r="3" fill="${colour}"/>`);
    const ly = M.top + 10 + i * 20;
    parts.push(`<rect x="${WIDTH - M.right + 14}" y="${ly - 8}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${WIDTH - M.right + 32}" y="${ly + 2}" font-size="12">${escapeXml(series.label)}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...parts,
    `<rect x="${M.left}" y="${M.top}" width="${WIDTH - M.left - M.right}" height="${HEIGHT - M.top - M.bottom}" fill="none" stroke="#374151"/>`,
    `<text x="${(M.left + WIDTH - M.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle" font-size="12">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${(M.top + HEIGHT - M.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeXml(chart.yLabel)}</text>`,
    '</svg>',
  ].join('\n');
}

/** SVG → PNG at twice the SVG's size, as libs/reporting renders its timeline chart. */
export function renderPng(svg: string): Promise<Buffer> {
  return renderSvgToPng(svg, 2);
}
