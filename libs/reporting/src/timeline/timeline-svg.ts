import type { StageSpan } from '@imagepipeline/contracts';
import { formatSeconds, formatUtc, imagesPerSecond, protocolTitle, wallSeconds } from '../format';
import { allSpans, runOrigin } from '../latency-rows';
import { isImageFailure, type RunReport } from '../run-report';
import { stagesInOrder, stageTitle } from '../stage-order';
import { packLanes } from './lanes';
import { seriesColour, textColourOn } from './palette';
import { escapeXml, fitText, px, textWidth } from './svg-text';
import { timeAxis, type TimeAxis } from './time-axis';

/** An SVG chart and its size in CSS pixels. */
export interface TimelineChart {
  svg: string;
  width: number;
  height: number;
}

const WIDTH = 1200;
const FONT = 'sans-serif';
const PLOT_LEFT = 200;
const PLOT_RIGHT = WIDTH - 40;
const PLOT_TOP = 108;
const ROW_PADDING = 12;
const MIN_ROW_HEIGHT = 64;
const MAX_LANE_BLOCK = 208;
const LEGEND_COLUMN_WIDTH = 224;
const LEGEND_LINE_HEIGHT = 24;
const LEGEND_FONT_SIZE = 12.5;
const LEGEND_TEXT_OFFSET = 24;
const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID = '#e4e7eb';
const FAILED_FILL = '#cbd2d9';

interface Series {
  number: number;
  name: string;
  colour: string;
  failure?: string;
}

interface Bar {
  series: Series;
  span: StageSpan;
  start: number;
  end: number;
  lane: number;
}

interface StageRow {
  stage: string;
  bars: Bar[];
  lanes: number;
  top: number;
  height: number;
}

/**
 * Draws the run as a Gantt chart: one row per stage in pipeline order, one bar per image per
 * stage from start to end as the orchestrator saw it, in seconds from the run origin
 * (`runOrigin`). Overlapping bars of one stage (a stage running several images at once) are
 * stacked in lanes. Each image has its own colour, a number drawn in its bars where they are
 * wide enough, and a legend entry; failed images are listed with their error code.
 */
export function renderTimelineSvg(report: RunReport): TimelineChart {
  const origin = runOrigin(report);
  const series = buildSeries(report);
  const stages = stagesInOrder(allSpans(report));
  const axis = timeAxis(Math.max(0, ...collectEnds(report, origin)));
  const rows = layoutRows(report, stages, series, origin);
  const plotBottom = rows.length > 0 ? rows[rows.length - 1].top + rows[rows.length - 1].height : PLOT_TOP;
  const x = (seconds: number) => PLOT_LEFT + (seconds / axis.max) * (PLOT_RIGHT - PLOT_LEFT);

  const legendTop = plotBottom + 84;
  const entries = layoutLegend(series);
  const legendRows = entries.length > 0 ? entries[entries.length - 1].row + 1 : 0;
  const height = Math.round(legendTop + 28 + legendRows * LEGEND_LINE_HEIGHT + 24);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...header(report),
    ...rows.flatMap((row, i) => rowBackground(row, i)),
    ...grid(axis, x, plotBottom),
    ...rows.flatMap((row) => row.bars.map((bar) => drawBar(bar, row, x))),
    ...axisLine(axis, x, plotBottom),
    ...legend(entries, legendTop),
    '</svg>',
  ];
  return { svg: `${parts.join('\n')}\n`, width: WIDTH, height };
}

function buildSeries(report: RunReport): Series[] {
  let colourIndex = 0;
  return report.images.map((outcome, i) =>
    isImageFailure(outcome)
      ? { number: i + 1, name: outcome.fileName, colour: FAILED_FILL, failure: outcome.error.code }
      : { number: i + 1, name: outcome.fileName, colour: seriesColour(colourIndex++) },
  );
}

function collectEnds(report: RunReport, origin: number): number[] {
  return [...allSpans(report)].map((span) => (span.endedAtMs - origin) / 1000);
}

function layoutRows(report: RunReport, stages: string[], series: Series[], origin: number): StageRow[] {
  let top = PLOT_TOP;
  return stages.map((stage) => {
    const bars: Bar[] = [];
    report.images.forEach((outcome, i) => {
      if (isImageFailure(outcome)) return;
      for (const span of outcome.result.timeline.filter((s) => s.stage === stage)) {
        const start = (span.startedAtMs - origin) / 1000;
        bars.push({ series: series[i], span, start, end: Math.max(start, (span.endedAtMs - origin) / 1000), lane: 0 });
      }
    });
    const { lanes, count } = packLanes(bars);
    bars.forEach((bar, i) => (bar.lane = lanes[i]));
    const height = Math.max(MIN_ROW_HEIGHT, 2 * ROW_PADDING + Math.min(MAX_LANE_BLOCK, count * 26));
    const row = { stage, bars, lanes: count, top, height };
    top += height;
    return row;
  });
}

function header(report: RunReport): string[] {
  const count = report.images.length;
  const failed = report.images.filter(isImageFailure).length;
  const wall = wallSeconds(report);
  const title = `Pipeline timeline — ${protocolTitle(report.protocol)}, ${report.topology}, ${count} image${count === 1 ? '' : 's'}, ${formatSeconds(wall)}`;
  const subtitle = [
    failed > 0 ? `${count - failed} succeeded, ${failed} failed` : 'all succeeded',
    `${imagesPerSecond(report).toFixed(2)} images/s`,
    `orchestrator ${report.orchestrator}`,
    `started ${formatUtc(report.startedAtMs)}`,
  ].join('   ·   ');
  return [
    `<text x="24" y="40" font-size="22" font-weight="bold" fill="${INK}">${escapeXml(title)}</text>`,
    `<text x="24" y="66" font-size="13" fill="${MUTED}">${escapeXml(subtitle)}</text>`,
  ];
}

function rowBackground(row: StageRow, index: number): string[] {
  const middle = row.top + row.height / 2;
  const mean = row.bars.length > 0 ? row.bars.reduce((a, b) => a + b.span.observedMs, 0) / row.bars.length : undefined;
  const note = mean === undefined ? 'no calls' : `mean ${Math.round(mean)} ms`;
  return [
    `<rect x="0" y="${px(row.top)}" width="${WIDTH}" height="${px(row.height)}" fill="${index % 2 === 0 ? '#f5f7fa' : '#ffffff'}"/>`,
    `<text x="${PLOT_LEFT - 16}" y="${px(middle - 2)}" font-size="14" font-weight="bold" fill="${INK}" text-anchor="end">${escapeXml(stageTitle(row.stage))}</text>`,
    `<text x="${PLOT_LEFT - 16}" y="${px(middle + 15)}" font-size="11.5" fill="${MUTED}" text-anchor="end">${note}</text>`,
  ];
}

function grid(axis: TimeAxis, x: (s: number) => number, plotBottom: number): string[] {
  return axis.ticks.map(
    (tick) => `<line x1="${px(x(tick))}" y1="${PLOT_TOP}" x2="${px(x(tick))}" y2="${px(plotBottom)}" stroke="${GRID}" stroke-width="1"/>`,
  );
}

function drawBar(bar: Bar, row: StageRow, x: (s: number) => number): string {
  const laneHeight = (row.height - 2 * ROW_PADDING) / row.lanes;
  const barHeight = Math.max(3, Math.min(22, laneHeight - 4));
  const y = row.top + ROW_PADDING + bar.lane * laneHeight + (laneHeight - barHeight) / 2;
  const left = x(bar.start);
  const width = Math.max(2, x(bar.end) - left);
  const { span, series } = bar;
  const tip = `${series.name} — ${stageTitle(span.stage)}: ${bar.start.toFixed(3)}–${bar.end.toFixed(3)} s, ${span.observedMs.toFixed(1)} ms (compute ${span.computeMs.toFixed(1)} ms, queued ${(span.startedAtMs - span.enqueuedAtMs).toFixed(1)} ms)`;
  const label = String(series.number);
  const fontSize = Math.min(12, barHeight - 6);
  const showLabel = fontSize >= 8 && width >= textWidth(label, fontSize) + 8;
  return [
    `<g><title>${escapeXml(tip)}</title>`,
    `<rect x="${px(left)}" y="${px(y)}" width="${px(width)}" height="${px(barHeight)}" rx="${px(Math.min(3, width / 2))}" fill="${series.colour}" stroke="#ffffff" stroke-width="0.75"/>`,
    showLabel
      ? `<text x="${px(left + width / 2)}" y="${px(y + barHeight / 2 + fontSize * 0.36)}" font-size="${px(fontSize)}" font-weight="bold" fill="${textColourOn(series.colour)}" text-anchor="middle">${label}</text>`
      : '',
    '</g>',
  ].join('');
}

function axisLine(axis: TimeAxis, x: (s: number) => number, plotBottom: number): string[] {
  const ticks = axis.ticks.flatMap((tick) => [
    `<line x1="${px(x(tick))}" y1="${px(plotBottom)}" x2="${px(x(tick))}" y2="${px(plotBottom + 6)}" stroke="${MUTED}" stroke-width="1"/>`,
    `<text x="${px(x(tick))}" y="${px(plotBottom + 22)}" font-size="12" fill="${INK}" text-anchor="middle">${tick.toFixed(axis.decimals)}</text>`,
  ]);
  return [
    `<line x1="${PLOT_LEFT}" y1="${PLOT_TOP}" x2="${PLOT_LEFT}" y2="${px(plotBottom)}" stroke="${MUTED}" stroke-width="1"/>`,
    `<line x1="${PLOT_LEFT}" y1="${px(plotBottom)}" x2="${PLOT_RIGHT}" y2="${px(plotBottom)}" stroke="${MUTED}" stroke-width="1"/>`,
    ...ticks,
    `<text x="${px((PLOT_LEFT + PLOT_RIGHT) / 2)}" y="${px(plotBottom + 48)}" font-size="13" fill="${INK}" text-anchor="middle">Time since the orchestrator received the first image (s)</text>`,
    `<text x="${PLOT_LEFT - 16}" y="${PLOT_TOP - 10}" font-size="13" fill="${INK}" text-anchor="end">Stage</text>`,
  ];
}

interface LegendEntry {
  series: Series;
  text: string;
  column: number;
  row: number;
  /** Columns the entry spans: a long name or an error gets more room. */
  span: number;
}

/** Flows legend entries into a grid of fixed columns, giving long ones several columns. */
function layoutLegend(series: Series[]): LegendEntry[] {
  const columns = Math.max(1, Math.floor((WIDTH - 48) / LEGEND_COLUMN_WIDTH));
  let column = 0;
  let row = 0;
  return series.map((s) => {
    const text = s.failure ? `${s.number}  ${s.name} — failed: ${s.failure}` : `${s.number}  ${s.name}`;
    const needed = textWidth(text, LEGEND_FONT_SIZE) + LEGEND_TEXT_OFFSET + 8;
    const span = Math.min(columns, Math.max(1, Math.ceil(needed / LEGEND_COLUMN_WIDTH)));
    if (column + span > columns) {
      column = 0;
      row++;
    }
    const entry = { series: s, text, column, row, span };
    column += span;
    return entry;
  });
}

function legend(entries: LegendEntry[], top: number): string[] {
  const parts = [`<text x="24" y="${px(top)}" font-size="13" font-weight="bold" fill="${INK}">Images</text>`];
  for (const { series: s, text, column, row, span } of entries) {
    const left = 24 + column * LEGEND_COLUMN_WIDTH;
    const y = top + 16 + row * LEGEND_LINE_HEIGHT;
    const swatch = `<rect x="${left}" y="${px(y)}" width="16" height="16" rx="3" fill="${s.colour}"${s.failure ? ` stroke="${MUTED}" stroke-dasharray="2 2"` : ''}/>`;
    const cross = s.failure
      ? `<path d="M${left + 4} ${px(y + 4)} l8 8 M${left + 12} ${px(y + 4)} l-8 8" stroke="${MUTED}" stroke-width="1.5"/>`
      : '';
    const label = fitText(text, LEGEND_FONT_SIZE, span * LEGEND_COLUMN_WIDTH - LEGEND_TEXT_OFFSET - 8);
    parts.push(
      `${swatch}${cross}<text x="${left + LEGEND_TEXT_OFFSET}" y="${px(y + 12.5)}" font-size="${LEGEND_FONT_SIZE}" fill="${s.failure ? MUTED : INK}">${escapeXml(label)}</text>`,
    );
  }
  return parts;
}
