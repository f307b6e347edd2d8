import type { LiveEvent, LiveInfo, RunCreated } from '@imagepipeline/live/events';
import { describe, expect, it } from 'vitest';
import { packLanes, timeAxis } from '@imagepipeline/reporting/timeline-layout';
import { describeFailure, downloadName, formatMs, textColourOn } from './format';
import { applyEvent, createRunState, currentStage, lanePhase, laneKey, latestEndMs, summarise } from './run-state';
import { wrapWords } from './timeline';

const info: LiveInfo = {
  protocols: ['grpc', 'rest'],
  maxImageBytes: 1_000_000,
  stages: [
    { name: 'upload', title: 'Upload' },
    { name: 'noise_reduction', title: 'Noise reduction' },
    { name: 'background_removal', title: 'Background removal' },
    { name: 'classification', title: 'Classification' },
  ],
};
const run: RunCreated = {
  runId: 'r1',
  protocols: ['grpc', 'rest'],
  images: [
    { imageId: 'a', fileName: 'coffee.png', colour: '#4e79a7' },
    { imageId: 'b', fileName: 'notes.txt', colour: '#f28e2b' },
  ],
};
const stage = (stageName: LiveInfo['stages'][number]['name'], startMs: number, endMs: number): LiveEvent => ({
  type: 'stage',
  imageId: 'a',
  protocol: 'grpc',
  stage: stageName,
  startMs,
  endMs,
  computeMs: endMs - startMs - 2,
  transportMs: 2,
});

describe('run state', () => {
  it('follows an image through its stages, and applying the replayed stream again changes nothing', () => {
    const events: LiveEvent[] = [
      { type: 'sent', imageId: 'a', protocol: 'grpc', atMs: 1 },
      stage('upload', 2, 30),
      stage('noise_reduction', 30, 60),
      stage('classification', 60, 90),
      { type: 'failed', imageId: 'b', protocol: 'rest', code: 'IMAGE_UNREADABLE', message: 'not an image' },
    ];
    const state = createRunState(info, run);
    for (const event of events) applyEvent(state, event);
    const lane = state.lanes.get(laneKey('a', 'grpc'))!;
    expect(lanePhase(lane)).toBe('running');
    expect(currentStage(lane, info.stages)).toBe('background_removal');
    expect(lanePhase(state.lanes.get(laneKey('b', 'rest'))!)).toBe('failed');
    expect(lanePhase(state.lanes.get(laneKey('a', 'rest'))!)).toBe('waiting');

    const before = summarise(state, 'grpc');
    for (const event of events) applyEvent(state, event);
    expect(summarise(state, 'grpc')).toEqual(before);
    expect(before).toMatchObject({ images: 2, done: 0, failed: 0, wallMs: 90, transportMs: 6 });
    expect(latestEndMs(state)).toBe(90);

    applyEvent(state, stage('background_removal', 60, 300));
    applyEvent(state, { type: 'done', imageId: 'a', protocol: 'grpc', label: 'espresso', topK: [], totalMs: 310, processedUrl: '/x.png' });
    expect(lanePhase(lane)).toBe('done');
    expect(currentStage(lane, info.stages)).toBeUndefined();
    expect(applyEvent(state, { type: 'finished', latencyCsvUrls: { grpc: '/g.csv' } })).toEqual({ finished: true });
  });

  it('ignores events of images the run does not have', () => {
    const state = createRunState(info, run);
    expect(applyEvent(state, { type: 'sent', imageId: 'zzz', protocol: 'grpc', atMs: 1 })).toEqual({});
  });
});

describe('timeline layout', () => {
  it('puts overlapping bars on lanes of their own', () => {
    expect(packLanes([{ start: 0, end: 10 }, { start: 5, end: 15 }, { start: 10, end: 20 }])).toEqual({ lanes: [0, 1, 0], count: 2 });
    expect(packLanes([]).count).toBe(1);
  });

  it('ticks at a 1-2-5 step', () => {
    expect(timeAxis(0.93)).toMatchObject({ max: 1, step: 0.1, decimals: 1 });
    expect(timeAxis(0)).toMatchObject({ max: 1 });
  });

  it('wraps stage titles on words', () => {
    expect(wrapWords('Background removal', 12)).toEqual(['Background', 'removal']);
    expect(wrapWords('Upload', 12)).toEqual(['Upload']);
  });
});

describe('words', () => {
  it('says what a failure code means, with the code', () => {
    expect(describeFailure('QUEUE_FULL', 'queue full (uploader)')).toBe('The pipeline is busy (a queue is full); try again in a moment: queue full (uploader) (code QUEUE_FULL)');
    expect(describeFailure('SOMETHING_NEW', 'odd')).toBe('Failed: odd (code SOMETHING_NEW)');
  });

  it('formats times, names downloads and picks readable text on a colour', () => {
    expect([formatMs(7.44), formatMs(786.4), formatMs(1234)]).toEqual(['7.4 ms', '786 ms', '1.23 s']);
    expect(downloadName('coffee.png', 'grpc')).toBe('coffee-grpc.png');
    expect(downloadName('.hidden', 'rest')).toBe('.hidden-rest.png');
    expect(textColourOn('#4e79a7')).toBe('#ffffff');
    expect(textColourOn('#edc948')).toBe('#1f2933');
  });
});
