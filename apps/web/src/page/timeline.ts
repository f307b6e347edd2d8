/**
 * The live timeline of one protocol, drawn as SVG like timeline.png: one row per stage, one bar
 * per image per stage in the image's colour, overlapping bars on lanes of their own, x in seconds
 * since the run was created. Redrawn whole on each change (a few dozen bars).
 */
import type { LiveInfo } from '@imagepipeline/live/events';
import { packLanes, timeAxis } from '@imagepipeline/reporting/timeline-layout';
import { s } from './dom';
import { formatMs, textColourOn } from './format';
import type { LaneState, StageEvent } from './run-state';

export interface TimelineInput {
  title: string;
  stages: LiveInfo['stages'];
  lanes: LaneState[];
  /** The right edge, shared by every timeline of the run. */
  maxMs: number;
  width: number;
  /** Bars drawn before (their keys): only new bars fade in. */
  drawn: Set<string>;
}

const BAR_HEIGHT = 22;
const BAR_GAP = 4;
const ROW_PADDING = 9;
const MIN_ROW_HEIGHT = 48;
const AXIS_HEIGHT = 50;

interface Bar {
  lane: LaneState;
  stage: StageEvent;
}

export function timelineSvg(input: TimelineInput): SVGSVGElement {
  const { width, stages } = input;
  const narrow = width < 560;
  const labelWidth = narrow ? 100 : 160;
  const plotLeft = labelWidth + 12;
  const plotRight = width - (narrow ? 10 : 20);
  const plotWidth = Math.max(40, plotRight - plotLeft);
  const axis = timeAxis(Math.max(input.maxMs, 100) / 1000, narrow ? 4 : 8);
  const x = (ms: number) => plotLeft + (ms / 1000 / axis.max) * plotWidth;

  const rows = stages.map((stage) => {
    const bars: Bar[] = [];
    for (const lane of input.lanes) {
      const event = lane.stages.get(stage.name);
      if (event) bars.push({ lane, stage: event });
    }
    const packed = packLanes(bars.map((bar) => ({ start: bar.stage.startMs, end: bar.stage.endMs })));
    const height = Math.max(narrow ? MIN_ROW_HEIGHT + 12 : MIN_ROW_HEIGHT, ROW_PADDING * 2 + packed.count * BAR_HEIGHT + (packed.count - 1) * BAR_GAP);
    return { stage, bars, lanes: packed.lanes, height };
  });
  const plotHeight = rows.reduce((sum, row) => sum + row.height, 0);
  const height = plotHeight + AXIS_HEIGHT;
  const barCount = rows.reduce((sum, row) => sum + row.bars.length, 0);

  const svg = s('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `${input.title} timeline: ${barCount} of ${input.lanes.length * stages.length} stage calls done`,
    class: narrow ? 'timeline-svg timeline-narrow' : 'timeline-svg',
  });

  // Rows: shaded bands, stage titles and their mean time so far.
  let y = 0;
  const rowTops: number[] = [];
  rows.forEach((row, index) => {
    rowTops.push(y);
    if (index % 2 === 0) svg.append(s('rect', { x: 0, y, width, height: row.height, class: 'row-band' }));
    const durations = row.bars.map((bar) => bar.stage.endMs - bar.stage.startMs);
    const mean = durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : undefined;
    const middle = y + row.height / 2;
    // Narrow: the title on as many lines as it takes (a word a line, short words joined).
    const lines = narrow ? wrapWords(row.stage.title, 12) : [row.stage.title];
    const lineHeight = 14;
    const titleTop = middle - 3 - ((lines.length - 1) * lineHeight) / 2 - (narrow ? 6 : 0);
    const title = s('text', { x: labelWidth, y: titleTop, class: 'row-title', 'text-anchor': 'end' });
    lines.forEach((line, index) => title.append(s('tspan', { x: labelWidth, dy: index === 0 ? 0 : lineHeight }, line)));
    const noteY = titleTop + (lines.length - 1) * lineHeight + 15;
    svg.append(title, s('text', { x: labelWidth, y: noteY, class: 'row-note', 'text-anchor': 'end' }, mean === undefined ? '–' : `mean ${formatMs(mean)}`));
    y += row.height;
  });

  // Grid and axis.
  for (const tick of axis.ticks) {
    const tx = x(tick * 1000);
    svg.append(
      s('line', { x1: tx, x2: tx, y1: 0, y2: plotHeight, class: 'grid' }),
      s('line', { x1: tx, x2: tx, y1: plotHeight, y2: plotHeight + 5, class: 'axis' }),
      s('text', { x: tx, y: plotHeight + 19, class: 'tick', 'text-anchor': 'middle' }, tick.toFixed(axis.decimals)),
    );
  }
  svg.append(
    s('line', { x1: plotLeft, x2: plotLeft, y1: 0, y2: plotHeight, class: 'axis' }),
    s('line', { x1: plotLeft, x2: x(axis.max * 1000), y1: plotHeight, y2: plotHeight, class: 'axis' }),
    s('text', { x: plotLeft + plotWidth / 2, y: plotHeight + 42, class: 'axis-title', 'text-anchor': 'middle' }, 'Time since the run started (s)'),
  );

  // Bars.
  rows.forEach((row, rowIndex) => {
    row.bars.forEach((bar, barIndex) => {
      const { lane, stage } = bar;
      const key = `${lane.image.imageId}/${stage.stage}`;
      const left = x(stage.startMs);
      const barWidth = Math.max(2, x(stage.endMs) - left);
      const top = rowTops[rowIndex] + ROW_PADDING + row.lanes[barIndex] * (BAR_HEIGHT + BAR_GAP);
      const group = s('g', {
        class: input.drawn.has(key) ? 'bar' : 'bar bar-new',
        'data-image': lane.image.fileName,
        'data-stage': stage.stage,
      });
      group.append(
        s('title', {}, `${lane.number} ${lane.image.fileName} — ${row.stage.title}: ${formatMs(stage.endMs - stage.startMs)} (compute ${formatMs(stage.computeMs)}, transport ${formatMs(stage.transportMs)})`),
        s('rect', { x: left, y: top, width: barWidth, height: BAR_HEIGHT, rx: 3, fill: lane.image.colour }),
      );
      if (barWidth >= 16) {
        group.append(
          s('text', { x: left + barWidth / 2, y: top + BAR_HEIGHT / 2 + 4.5, 'text-anchor': 'middle', class: 'bar-label', fill: textColourOn(lane.image.colour) }, lane.number),
        );
      }
      svg.append(group);
      input.drawn.add(key);
    });
  });
  return svg;
}

/** Words joined onto lines of at most `width` characters (a longer word keeps a line to itself). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [text];
}
