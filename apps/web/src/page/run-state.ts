/**
 * What the page knows about one run, built from the server's events. Applying an event twice
 * changes nothing: a reconnecting EventSource is sent every event again from the start.
 */
import type { LiveEvent, LiveInfo, LiveProtocol, RunCreated } from '@imagepipeline/live/events';

export type StageEvent = Extract<LiveEvent, { type: 'stage' }>;
export type DoneEvent = Extract<LiveEvent, { type: 'done' }>;
export type FailedEvent = Extract<LiveEvent, { type: 'failed' }>;
export type FinishedEvent = Extract<LiveEvent, { type: 'finished' }>;
export type StageName = LiveInfo['stages'][number]['name'];
export type RunImage = RunCreated['images'][number];

/** One image through one protocol. */
export interface LaneState {
  image: RunImage;
  /** 1-based, in upload order: the number on the timeline's bars. */
  number: number;
  protocol: LiveProtocol;
  sentAtMs?: number;
  stages: Map<StageName, StageEvent>;
  done?: DoneEvent;
  failed?: FailedEvent;
}

export type LanePhase = 'waiting' | 'running' | 'done' | 'failed';

export interface RunState {
  info: LiveInfo;
  run: RunCreated;
  lanes: Map<string, LaneState>;
  finished?: FinishedEvent;
}

export function laneKey(imageId: string, protocol: LiveProtocol): string {
  return `${protocol}\u0000${imageId}`;
}

export function createRunState(info: LiveInfo, run: RunCreated): RunState {
  const lanes = new Map<string, LaneState>();
  for (const protocol of run.protocols) {
    run.images.forEach((image, index) => {
      lanes.set(laneKey(image.imageId, protocol), { image, number: index + 1, protocol, stages: new Map() });
    });
  }
  return { info, run, lanes };
}

/** What an event changed, so the page redraws only that. */
export interface Change {
  lane?: LaneState;
  timeline?: LiveProtocol;
  finished?: boolean;
}

export function applyEvent(state: RunState, event: LiveEvent): Change {
  if (event.type === 'finished') {
    state.finished = event;
    return { finished: true };
  }
  const lane = state.lanes.get(laneKey(event.imageId, event.protocol));
  if (!lane) return {};
  switch (event.type) {
    case 'sent':
      lane.sentAtMs = event.atMs;
      return { lane };
    case 'stage':
      lane.stages.set(event.stage, event);
      return { lane, timeline: event.protocol };
    case 'done':
      lane.done = event;
      return { lane };
    case 'failed':
      lane.failed = event;
      return { lane };
  }
}

export function lanePhase(lane: LaneState): LanePhase {
  if (lane.failed) return 'failed';
  if (lane.done) return 'done';
  if (lane.sentAtMs !== undefined || lane.stages.size > 0) return 'running';
  return 'waiting';
}

/** The stage an image is in (the first, in pipeline order, that has not reported), if any. */
export function currentStage(lane: LaneState, stages: LiveInfo['stages']): StageName | undefined {
  const phase = lanePhase(lane);
  if (phase === 'waiting' || phase === 'done') return undefined;
  return stages.find((stage) => !lane.stages.has(stage.name))?.name;
}

export function lanesOf(state: RunState, protocol: LiveProtocol): LaneState[] {
  return [...state.lanes.values()].filter((lane) => lane.protocol === protocol);
}

export interface ProtocolSummary {
  images: number;
  done: number;
  failed: number;
  /** The last stage's end, since the run was created. */
  wallMs: number;
  computeMs: number;
  transportMs: number;
}

export function summarise(state: RunState, protocol: LiveProtocol): ProtocolSummary {
  const summary: ProtocolSummary = { images: 0, done: 0, failed: 0, wallMs: 0, computeMs: 0, transportMs: 0 };
  for (const lane of lanesOf(state, protocol)) {
    summary.images += 1;
    if (lane.done) summary.done += 1;
    if (lane.failed) summary.failed += 1;
    for (const stage of lane.stages.values()) {
      summary.wallMs = Math.max(summary.wallMs, stage.endMs);
      summary.computeMs += stage.computeMs;
      summary.transportMs += stage.transportMs;
    }
  }
  return summary;
}

/** The latest stage end over every protocol: the shared right edge of the timelines. */
export function latestEndMs(state: RunState): number {
  let latest = 0;
  for (const lane of state.lanes.values()) for (const stage of lane.stages.values()) latest = Math.max(latest, stage.endMs);
  return latest;
}
