/**
 * One card per uploaded image: which stage it is in per protocol, then its cut-out, its top-5
 * labels and each stage's compute and transport time. Built once, updated in place.
 */
import type { LiveInfo, LiveProtocol } from '@imagepipeline/live/events';
import { h } from './dom';
import { describeFailure, downloadName, formatBytes, formatMs, formatPercent, PROTOCOL_TITLES } from './format';
import { currentStage, lanePhase, type LaneState, type RunImage, type StageName } from './run-state';

type Stages = LiveInfo['stages'];

class LaneView {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly pills = new Map<StageName, { item: HTMLLIElement; time: HTMLElement }>();
  private readonly error: HTMLElement;
  private readonly outcome: HTMLElement;
  private readonly times: HTMLElement;
  private outcomeBuilt = false;

  constructor(
    private readonly protocol: LiveProtocol,
    private readonly stages: Stages,
  ) {
    const headingId = `lane-${Math.random().toString(36).slice(2)}`;
    this.status = h('span', { class: 'status', 'data-testid': 'status' }, 'Waiting');
    const pillList = h('ol', { class: 'pills', 'data-testid': 'stages', 'aria-label': 'Stages' });
    for (const stage of stages) {
      const time = h('span', { class: 'pill-time' });
      const item = h('li', { class: 'pill', 'data-testid': `stage-${stage.name}`, 'data-state': 'pending' }, h('span', { class: 'pill-title' }, stage.title), time);
      this.pills.set(stage.name, { item, time });
      pillList.append(item);
    }
    this.error = h('p', { class: 'error', 'data-testid': 'error', hidden: true });
    this.outcome = h('div', { class: 'outcome', hidden: true });
    this.times = h('div', { class: 'times-holder' });
    this.element = h(
      'section',
      { class: 'lane', 'data-testid': `result-${protocol}`, 'data-state': 'waiting', 'aria-labelledby': headingId },
      h('header', { class: 'lane-head' }, h('h4', { id: headingId }, PROTOCOL_TITLES[protocol]), this.status),
      pillList,
      this.error,
      this.outcome,
      this.times,
    );
  }

  update(lane: LaneState, scaleMs: number): void {
    const phase = lanePhase(lane);
    this.element.dataset.state = phase;
    const current = currentStage(lane, this.stages);
    const title = (name: StageName | undefined) => this.stages.find((stage) => stage.name === name)?.title ?? name;

    for (const [name, { item, time }] of this.pills) {
      const event = lane.stages.get(name);
      let state = 'pending';
      if (event) state = 'done';
      else if (name === current) state = phase === 'failed' ? 'failed' : 'active';
      item.dataset.state = state;
      time.textContent = event ? formatMs(event.endMs - event.startMs) : state === 'failed' ? 'failed' : state === 'active' ? '…' : '';
    }

    if (phase === 'waiting') this.status.textContent = 'Waiting';
    else if (phase === 'running') this.status.textContent = `In ${title(current) ?? 'the pipeline'}…`;
    else if (phase === 'done') this.status.textContent = `Done in ${formatMs(lane.done?.totalMs ?? NaN)}`;
    else this.status.textContent = current ? `Failed in ${title(current)}` : 'Failed';

    if (lane.failed) {
      this.error.hidden = false;
      this.error.textContent = describeFailure(lane.failed.code, lane.failed.message);
    }
    if (lane.done && !this.outcomeBuilt) this.buildOutcome(lane);
    // Nothing to show until a stage has reported (an image refused at once has no times at all).
    this.times.replaceChildren(...(lane.stages.size > 0 ? [this.timesTable(lane, scaleMs)] : []));
  }

  private buildOutcome(lane: LaneState): void {
    const done = lane.done;
    if (!done) return;
    this.outcomeBuilt = true;
    const [top] = done.topK;
    const alt = `${lane.image.fileName} with its background removed (${PROTOCOL_TITLES[this.protocol]})`;
    const figure = h(
      'figure',
      { class: 'cutout-frame' },
      h('div', { class: 'checkerboard' }, h('img', { src: done.processedUrl, alt, 'data-testid': 'cutout', decoding: 'async' })),
      h(
        'figcaption',
        {},
        h('a', { href: done.processedUrl, download: downloadName(lane.image.fileName, this.protocol), 'data-testid': 'download', class: 'button-link' }, 'Download PNG'),
      ),
    );
    const topList = h('ol', { class: 'top-k', 'data-testid': 'top-k', 'aria-label': 'Top labels' });
    for (const entry of done.topK) {
      const percent = formatPercent(entry.probability);
      topList.append(
        h(
          'li',
          {},
          h('span', { class: 'top-k-label' }, entry.label),
          h('span', { class: 'top-k-bar', 'aria-hidden': 'true' }, h('span', { style: `width: ${Math.max(0, Math.min(100, entry.probability * 100)).toFixed(1)}%` })),
          h('span', { class: 'top-k-value' }, percent),
        ),
      );
    }
    const labels = h(
      'div',
      { class: 'labels' },
      h(
        'p',
        { class: 'top-label' },
        h('span', { 'data-testid': 'label' }, done.label || top?.label || '–'),
        ' ',
        h('span', { class: 'probability', 'data-testid': 'probability' }, top ? formatPercent(top.probability) : ''),
      ),
      topList,
    );
    this.outcome.replaceChildren(figure, labels);
    this.outcome.hidden = false;
  }

  private timesTable(lane: LaneState, scaleMs: number): HTMLElement {
    const body = h('tbody');
    for (const stage of this.stages) {
      const event = lane.stages.get(stage.name);
      const share = (ms: number) => `${Math.max(0, Math.min(100, (ms / Math.max(scaleMs, 1)) * 100)).toFixed(2)}%`;
      body.append(
        h(
          'tr',
          { 'data-stage': stage.name },
          h('th', { scope: 'row' }, stage.title),
          h('td', { class: 'num' }, event ? formatMs(event.computeMs) : '–'),
          h('td', { class: 'num' }, event ? formatMs(event.transportMs) : '–'),
          h(
            'td',
            { class: 'split-cell', 'aria-hidden': 'true' },
            event
              ? h(
                  'span',
                  { class: 'split' },
                  h('span', { class: 'split-compute', style: `width: ${share(event.computeMs)}` }),
                  h('span', { class: 'split-transport', style: `width: ${share(event.transportMs)}` }),
                )
              : null,
          ),
        ),
      );
    }
    const total = lane.done?.totalMs;
    return h(
      'table',
      { class: 'times', 'data-testid': 'stage-times' },
      h('caption', {}, 'Per stage: compute ', h('span', { class: 'key key-compute', 'aria-hidden': 'true' }), ' and transport ', h('span', { class: 'key key-transport', 'aria-hidden': 'true' })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Stage'), h('th', { scope: 'col', class: 'num' }, 'Compute'), h('th', { scope: 'col', class: 'num' }, 'Transport'), h('td', {}))),
      body,
      total === undefined ? null : h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'), h('td', { class: 'num', colspan: 2 }, formatMs(total)), h('td', {}))),
    );
  }
}

export class ImageCard {
  readonly element: HTMLElement;
  private readonly lanes = new Map<LiveProtocol, LaneView>();

  constructor(image: RunImage, number: number, protocols: readonly LiveProtocol[], stages: Stages, file: File | undefined, thumbnailUrl: string | undefined) {
    const lanes = h('div', { class: protocols.length > 1 ? 'lanes lanes-race' : 'lanes' });
    for (const protocol of protocols) {
      const view = new LaneView(protocol, stages);
      this.lanes.set(protocol, view);
      lanes.append(view.element);
    }
    this.element = h(
      'article',
      { class: 'card', 'data-testid': `image-${image.fileName}`, style: `--colour: ${image.colour}` },
      h(
        'header',
        { class: 'card-head' },
        thumbnailUrl
          ? h('img', {
              class: 'thumb',
              src: thumbnailUrl,
              alt: '',
              width: 48,
              height: 48,
              // Not an image after all (the pipeline will say so): no broken picture.
              onerror: (event: Event) => (event.currentTarget as HTMLElement).remove(),
            })
          : null,
        h('span', { class: 'swatch', 'aria-hidden': 'true' }, number),
        h('h3', {}, h('span', { class: 'visually-hidden' }, `Image ${number}: `), image.fileName),
        file ? h('span', { class: 'meta' }, formatBytes(file.size)) : null,
      ),
      lanes,
    );
  }

  /** Redraws one protocol's lane; `scaleMs` is the longest stage of this image over every protocol. */
  update(lane: LaneState, scaleMs: number): void {
    this.lanes.get(lane.protocol)?.update(lane, scaleMs);
  }
}
