/// <reference lib="dom" />
/**
 * The live pipeline page (apps/web): pick images, send them through gRPC, REST or both at once,
 * and watch every stage as it happens. Plain TypeScript and DOM; talks to the server only as
 * libs/live/src/live-events.ts says (types only are imported from there).
 *
 * Built by `npx nx run web:assets` (apps/web/build-page.mjs) into dist/apps/web/public/
 * (index.html, app.css, app.js).
 *
 * Test hooks (`data-testid`), stable for the browser test:
 *
 * Form
 * - `drop-zone`        the area that takes dropped files (its `data-state` is `over` while dragging)
 * - `file-input`       <input type="file" multiple>; every pick or drop adds to the selection
 * - `file-list`        <ul> of the selection: one <li data-testid="file-<fileName>"> each, with a
 *                      `remove` button and, when it is over LiveInfo.maxImageBytes, a `file-warning`
 * - `clear`            empties the selection
 * - `mode-grpc`, `mode-rest`, `mode-race`   the radio inputs (disabled when /api/info lacks a protocol)
 * - `start`            the submit button (disabled with no selection, and while a run is going)
 * - `request-error`    role="alert": a request-level error (GET /api/info, POST /api/runs `{error}`
 *                      with its HTTP status, a lost event stream); hidden when there is none
 * - `progress`         aria-live status line of the run
 *
 * Run (`run`, whose `data-state` is `running`, `finished` or `broken`, `data-run-id` the run's id)
 * - `legend`           one entry per image: its colour and number on the timeline bars
 * - `timeline-grpc`, `timeline-rest`   <figure> per protocol of the run; `data-bar-count` is the
 *                      number of bars drawn; bars are `g.bar[data-image=<fileName>][data-stage=<stage>]`
 *                      in an <svg role="img">; rows are the stages in LiveInfo order, x shared
 * - `summary`          table, one row per protocol (`summary-<protocol>`); `csv-<protocol>` is the
 *                      latency CSV link, present once `finished` has come
 * - `image-<fileName>` one card per uploaded image, in upload order; inside it, per protocol:
 *   - `result-<protocol>`  `data-state`: `waiting`, `running`, `done` or `failed`
 *     - `status`           words: Waiting / In Noise reduction… / Done in 786 ms / Failed in Upload
 *     - `stages`           <ol>, one `stage-<name>` <li> per stage, `data-state`: pending, active, done, failed
 *     - `error`            the failure in words with its code (hidden unless `failed`)
 *     - `cutout`           <img> of the processed PNG on a checkerboard (once `done`)
 *     - `download`         <a download> of the processed PNG
 *     - `label`            the top label; `probability` its probability; `top-k` <ol> of the top 5
 *     - `stage-times`      table of each stage's compute and transport time (rows `tr[data-stage]`)
 *
 * File names are used as they are in the test ids; two files with one name share a test id.
 */
import type { LiveEvent, LiveInfo, LiveProtocol, RunCreated } from '@imagepipeline/live/events';
import { createRun, getInfo, RequestError, subscribe, type RunMode, type Subscription } from './api';
import { ImageCard } from './card';
import { byId, h } from './dom';
import { describeFailure, formatBytes, formatMs, PROTOCOL_TITLES } from './format';
import { applyEvent, createRunState, latestEndMs, lanesOf, summarise, type LaneState, type RunState } from './run-state';
import { timelineSvg } from './timeline';

const form = byId<HTMLFormElement>('run-form');
const dropZone = byId<HTMLElement>('drop-zone');
const fileInput = byId<HTMLInputElement>('file-input');
const fileList = byId<HTMLUListElement>('file-list');
const fileSummary = byId<HTMLElement>('file-summary');
const clearButton = byId<HTMLButtonElement>('clear');
const startButton = byId<HTMLButtonElement>('start');
const requestError = byId<HTMLElement>('request-error');
const progress = byId<HTMLElement>('progress');
const announcer = byId<HTMLElement>('announcer');
const serverNote = byId<HTMLElement>('server-note');
const runSection = byId<HTMLElement>('run');
const legend = byId<HTMLElement>('legend');
const timelines = byId<HTMLElement>('timelines');
const summaryHolder = byId<HTMLElement>('summary-holder');
const cards = byId<HTMLElement>('cards');
const modeInputs = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="mode"]'));

let info: LiveInfo | undefined;
let selected: File[] = [];
let running = false;

interface RunView {
  state: RunState;
  subscription?: Subscription;
  cards: Map<string, ImageCard>;
  timelines: Map<LiveProtocol, { figure: HTMLElement; canvas: HTMLElement; note: HTMLElement; drawn: Set<string> }>;
  dirtyLanes: Set<LaneState>;
  timelinesDirty: boolean;
  frame?: number;
  objectUrls: string[];
  announced: Set<string>;
}
let view: RunView | undefined;

// ---- the form ----------------------------------------------------------------------------------

function showRequestError(message: string | undefined, kind: 'request' | 'stream' = 'request'): void {
  requestError.hidden = !message;
  requestError.textContent = message ?? '';
  requestError.dataset.kind = kind;
}

function selectedMode(): RunMode | undefined {
  return modeInputs.find((input) => input.checked && !input.disabled)?.value as RunMode | undefined;
}

function refreshStart(): void {
  startButton.disabled = running || !info || selected.length === 0 || !selectedMode();
  startButton.textContent = running ? 'Running…' : 'Start';
}

function fileKey(file: File): string {
  return `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
}

function addFiles(files: Iterable<File>): void {
  const known = new Set(selected.map(fileKey));
  for (const file of files) {
    if (!known.has(fileKey(file))) {
      selected.push(file);
      known.add(fileKey(file));
    }
  }
  renderFileList();
}

function renderFileList(): void {
  const limit = info?.maxImageBytes;
  fileList.replaceChildren(
    ...selected.map((file, index) => {
      const warnings: string[] = [];
      if (limit !== undefined && file.size > limit) warnings.push(`over the server's limit of ${formatBytes(limit)}: it will be refused`);
      if (file.type && !file.type.startsWith('image/')) warnings.push('not an image type: the pipeline will probably refuse it');
      return h(
        'li',
        { 'data-testid': `file-${file.name}` },
        h('span', { class: 'file-name' }, file.name),
        h('span', { class: 'meta' }, formatBytes(file.size)),
        warnings.length ? h('span', { class: 'file-warning', 'data-testid': 'file-warning' }, warnings.join('; ')) : null,
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            'data-testid': 'remove',
            'aria-label': `Remove ${file.name}`,
            onclick: () => {
              selected.splice(index, 1);
              renderFileList();
              fileInput.focus();
            },
          },
          'Remove',
        ),
      );
    }),
  );
  const bytes = selected.reduce((sum, file) => sum + file.size, 0);
  fileSummary.textContent = selected.length === 0 ? 'No images chosen yet.' : `${selected.length} image${selected.length === 1 ? '' : 's'}, ${formatBytes(bytes)}`;
  clearButton.hidden = selected.length === 0;
  refreshStart();
}

function applyInfo(loaded: LiveInfo): void {
  info = loaded;
  const offered = new Set(loaded.protocols);
  for (const input of modeInputs) {
    const mode = input.value as RunMode;
    const available = mode === 'race' ? offered.has('grpc') && offered.has('rest') : offered.has(mode);
    input.disabled = !available;
    const note = input.closest('label')?.querySelector('.mode-note');
    if (note && !available) note.textContent = mode === 'race' ? 'needs both protocols, which this server does not offer' : 'not offered by this server';
  }
  if (!selectedMode()) {
    const preferred = modeInputs.find((input) => input.value === 'race' && !input.disabled) ?? modeInputs.find((input) => !input.disabled);
    if (preferred) preferred.checked = true;
  }
  serverNote.textContent = `This server offers ${loaded.protocols.map((protocol) => PROTOCOL_TITLES[protocol]).join(' and ') || 'no protocol'}; up to ${formatBytes(loaded.maxImageBytes)} per image.`;
  renderFileList();
}

// ---- a run -------------------------------------------------------------------------------------

function closeRun(): void {
  if (!view) return;
  view.subscription?.close();
  if (view.frame !== undefined) cancelAnimationFrame(view.frame);
  for (const url of view.objectUrls) URL.revokeObjectURL(url);
  view = undefined;
}

function buildRun(state: RunState, files: readonly File[]): RunView {
  const { run, info: runInfo } = state;
  runSection.hidden = false;
  runSection.dataset.state = 'running';
  runSection.dataset.runId = run.runId;

  legend.replaceChildren(
    ...run.images.map((image, index) =>
      h('li', {}, h('span', { class: 'swatch', style: `--colour: ${image.colour}`, 'aria-hidden': 'true' }, index + 1), ` ${image.fileName}`),
    ),
  );

  const timelineViews: RunView['timelines'] = new Map();
  timelines.replaceChildren();
  for (const protocol of run.protocols) {
    const note = h('span', { class: 'timeline-note' });
    const canvas = h('div', { class: 'timeline-canvas' });
    const figure = h(
      'figure',
      { class: 'timeline', 'data-testid': `timeline-${protocol}`, 'data-bar-count': 0 },
      h('figcaption', {}, h('h3', {}, PROTOCOL_TITLES[protocol]), note),
      canvas,
    );
    timelines.append(figure);
    timelineViews.set(protocol, { figure, canvas, note, drawn: new Set() });
  }

  const objectUrls: string[] = [];
  const cardViews = new Map<string, ImageCard>();
  cards.replaceChildren();
  run.images.forEach((image, index) => {
    const file = files[index]?.name === image.fileName ? files[index] : files.find((candidate) => candidate.name === image.fileName);
    let thumbnail: string | undefined;
    if (file && file.type.startsWith('image/')) {
      thumbnail = URL.createObjectURL(file);
      objectUrls.push(thumbnail);
    }
    const card = new ImageCard(image, index + 1, run.protocols, runInfo.stages, file, thumbnail);
    cardViews.set(image.imageId, card);
    cards.append(card.element);
  });

  return {
    state,
    cards: cardViews,
    timelines: timelineViews,
    dirtyLanes: new Set(state.lanes.values()),
    timelinesDirty: true,
    objectUrls,
    announced: new Set(),
  };
}

function schedule(current: RunView): void {
  if (current.frame !== undefined) return;
  current.frame = requestAnimationFrame(() => {
    current.frame = undefined;
    if (view === current) draw(current);
  });
}

/** The longest stage call of one image over every protocol: the scale of its compute/transport bars. */
function imageScaleMs(state: RunState, imageId: string): number {
  let longest = 0;
  for (const lane of state.lanes.values()) {
    if (lane.image.imageId !== imageId) continue;
    for (const stage of lane.stages.values()) longest = Math.max(longest, stage.computeMs + stage.transportMs, stage.endMs - stage.startMs);
  }
  return longest;
}

function draw(current: RunView): void {
  const { state } = current;
  const images = new Set([...current.dirtyLanes].map((lane) => lane.image.imageId));
  for (const lane of state.lanes.values()) {
    // Both protocols of an image share a scale, so redraw the other one with it.
    if (images.has(lane.image.imageId)) current.cards.get(lane.image.imageId)?.update(lane, imageScaleMs(state, lane.image.imageId));
  }
  current.dirtyLanes.clear();

  if (current.timelinesDirty) {
    current.timelinesDirty = false;
    drawTimelines(current);
  }
  drawSummary(current);
  drawProgress(current);
}

function drawTimelines(current: RunView): void {
  const { state } = current;
  const maxMs = latestEndMs(state);
  for (const [protocol, timeline] of current.timelines) {
    const lanes = lanesOf(state, protocol);
    const width = Math.max(320, Math.floor(timeline.canvas.clientWidth || 800));
    timeline.canvas.replaceChildren(timelineSvg({ title: PROTOCOL_TITLES[protocol], stages: state.info.stages, lanes, maxMs, width, drawn: timeline.drawn }));
    const bars = lanes.reduce((sum, lane) => sum + lane.stages.size, 0);
    timeline.figure.dataset.barCount = String(bars);
    const summary = summarise(state, protocol);
    const parts = [`${summary.done} of ${summary.images} done`];
    if (summary.failed) parts.push(`${summary.failed} failed`);
    if (summary.wallMs) parts.push(`last stage ended at ${formatMs(summary.wallMs)}`);
    timeline.note.textContent = parts.join(' · ');
  }
}

function drawSummary(current: RunView): void {
  const { state } = current;
  const rows = state.run.protocols.map((protocol) => {
    const summary = summarise(state, protocol);
    const csv = state.finished?.latencyCsvUrls[protocol];
    return h(
      'tr',
      { 'data-testid': `summary-${protocol}` },
      h('th', { scope: 'row' }, PROTOCOL_TITLES[protocol]),
      h('td', { class: 'num' }, `${summary.done} / ${summary.images}`),
      h('td', { class: 'num' }, summary.failed),
      h('td', { class: 'num' }, summary.wallMs ? formatMs(summary.wallMs) : '–'),
      h('td', { class: 'num' }, summary.computeMs ? formatMs(summary.computeMs) : '–'),
      h('td', { class: 'num' }, summary.transportMs ? formatMs(summary.transportMs) : '–'),
      h(
        'td',
        {},
        csv
          ? h('a', { href: csv, download: `latency-${protocol}.csv`, 'data-testid': `csv-${protocol}`, class: 'button-link' }, `latency-${protocol}.csv`)
          : h('span', { class: 'meta' }, state.finished ? 'none' : 'when finished'),
      ),
    );
  });
  const table = h(
    'table',
    { class: 'summary', 'data-testid': 'summary' },
    h('caption', {}, 'Protocols side by side'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Protocol'),
        h('th', { scope: 'col', class: 'num' }, 'Done'),
        h('th', { scope: 'col', class: 'num' }, 'Failed'),
        h('th', { scope: 'col', class: 'num' }, 'Last stage end'),
        h('th', { scope: 'col', class: 'num' }, 'Σ compute'),
        h('th', { scope: 'col', class: 'num' }, 'Σ transport'),
        h('th', { scope: 'col' }, 'Latency CSV'),
      ),
    ),
    h('tbody', {}, ...rows),
  );
  const grpc = state.run.protocols.includes('grpc') ? summarise(state, 'grpc') : undefined;
  const rest = state.run.protocols.includes('rest') ? summarise(state, 'rest') : undefined;
  const ratio =
    state.finished && grpc && rest && grpc.wallMs > 0 && rest.wallMs > 0 && grpc.failed === 0 && rest.failed === 0
      ? h('p', { class: 'ratio', 'data-testid': 'ratio' }, `REST ÷ gRPC, last stage end: ${(rest.wallMs / grpc.wallMs).toFixed(2)}×. Both ran at once on one machine, so each slowed the other.`)
      : null;
  summaryHolder.replaceChildren(table, ...(ratio ? [ratio] : []));
}

function drawProgress(current: RunView): void {
  const { state } = current;
  const parts = state.run.protocols.map((protocol) => {
    const summary = summarise(state, protocol);
    const failed = summary.failed ? `, ${summary.failed} failed` : '';
    return `${PROTOCOL_TITLES[protocol]}: ${summary.done} of ${summary.images} done${failed}`;
  });
  const text = `${state.finished ? 'Finished.' : 'Running.'} ${parts.join(' · ')}`;
  if (progress.textContent !== text) progress.textContent = text;

  // Failures are said once each, politely, besides being shown on their card.
  for (const lane of state.lanes.values()) {
    if (!lane.failed) continue;
    const key = `${lane.protocol}/${lane.image.imageId}`;
    if (current.announced.has(key)) continue;
    current.announced.add(key);
    announcer.textContent = `${lane.image.fileName} failed over ${PROTOCOL_TITLES[lane.protocol]}: ${describeFailure(lane.failed.code, lane.failed.message)}`;
  }
}

function onEvent(current: RunView, event: LiveEvent): void {
  if (view !== current) return;
  const change = applyEvent(current.state, event);
  if (change.lane) current.dirtyLanes.add(change.lane);
  if (change.timeline) current.timelinesDirty = true;
  if (change.finished) {
    current.timelinesDirty = true;
    finishRun(current, 'finished');
  }
  schedule(current);
}

function finishRun(current: RunView, outcome: 'finished' | 'broken'): void {
  runSection.dataset.state = outcome;
  running = false;
  refreshStart();
  if (outcome === 'finished') current.subscription?.close();
  schedule(current);
}

async function start(): Promise<void> {
  const mode = selectedMode();
  if (!info || !mode || selected.length === 0 || running) return;
  const files = [...selected];
  running = true;
  showRequestError(undefined);
  refreshStart();
  progress.textContent = `Sending ${files.length} image${files.length === 1 ? '' : 's'}…`;

  let created: RunCreated;
  try {
    created = await createRun(mode, files);
  } catch (error) {
    running = false;
    refreshStart();
    progress.textContent = 'The run did not start.';
    showRequestError(`Could not start the run: ${error instanceof RequestError ? error.describe() : String(error)}`);
    return;
  }

  closeRun();
  const current = buildRun(createRunState(info, created), files);
  view = current;
  schedule(current);
  current.subscription = subscribe(created.runId, {
    event: (event) => onEvent(current, event),
    open: () => {
      if (view === current && !requestError.hidden && requestError.dataset.kind === 'stream') showRequestError(undefined);
    },
    trouble: (retrying) => {
      if (view !== current || current.state.finished) return;
      if (retrying) {
        showRequestError('Lost the connection to the run’s events; reconnecting…', 'stream');
      } else {
        showRequestError('The server closed the run’s event stream before the run finished.', 'stream');
        finishRun(current, 'broken');
      }
    },
  });
  // Start is disabled now: carry keyboard focus (and a screen reader) on to the run.
  runSection.focus({ preventScroll: true });
  runSection.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---- wiring ------------------------------------------------------------------------------------

fileInput.addEventListener('change', () => {
  addFiles(fileInput.files ? Array.from(fileInput.files) : []);
  fileInput.value = '';
});
clearButton.addEventListener('click', () => {
  selected = [];
  renderFileList();
  fileInput.focus();
});
for (const input of modeInputs) input.addEventListener('change', refreshStart);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void start();
});

let dragDepth = 0;
dropZone.addEventListener('dragenter', (event) => {
  event.preventDefault();
  dragDepth += 1;
  dropZone.dataset.state = 'over';
});
dropZone.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) delete dropZone.dataset.state;
});
dropZone.addEventListener('dragover', (event) => {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
});
dropZone.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  delete dropZone.dataset.state;
  addFiles(event.dataTransfer ? Array.from(event.dataTransfer.files) : []);
});
// A file dropped beside the zone must not replace the page.
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

// Redraw the timelines at a new width (their height follows what they draw, so only width counts).
let resizeFrame: number | undefined;
let drawnWidth = 0;
new ResizeObserver(() => {
  const width = timelines.clientWidth;
  if (width === drawnWidth || resizeFrame !== undefined) return;
  resizeFrame = requestAnimationFrame(() => {
    resizeFrame = undefined;
    drawnWidth = timelines.clientWidth;
    if (view) drawTimelines(view);
  });
}).observe(timelines);

renderFileList();
getInfo().then(applyInfo, (error: unknown) => {
  serverNote.textContent = '';
  showRequestError(`Could not ask the server what it offers: ${error instanceof RequestError ? error.describe() : String(error)}`);
  refreshStart();
});
