import {
  ClassifierServiceService,
  OrchestratorServiceService,
  UploaderServiceService,
  type Image,
  type ProcessEvent,
  type ProcessResult,
  type StageSpan,
} from '@imagepipeline/contracts';
import { describe, expect, it } from 'vitest';
import { withImageCodecs } from './image-codec';

const image = (fileName: string, size: number, channels = 4): Image => ({
  data: Buffer.alloc(size, fileName.length),
  format: 'raw',
  width: size / channels,
  height: 1,
  fileName,
  channels,
});
const span: StageSpan = { stage: 'upload', enqueuedAtMs: 1, startedAtMs: 2, endedAtMs: 3.5, observedMs: 1.5, computeMs: 1 };
const result: ProcessResult = {
  fileName: 'cat.jpg',
  processedImage: { ...image('cut.png', 4000), format: 'png', channels: 0 },
  label: 'tabby',
  topK: [{ label: 'tabby', classIndex: 281, probability: 0.75 }],
  timeline: [span],
  receivedAtMs: 10,
  totalMs: 20,
  uploadId: 'abc',
  uploadedImage: image('up', 3000, 3),
  denoisedImage: undefined,
};

/** Every direction a message can take between our code and the generated code. */
function roundTrips<T>(generated: { serialize(v: T): Buffer; deserialize(b: Buffer): T }, ours: typeof generated, value: T) {
  expect(ours.deserialize(ours.serialize(value))).toEqual(value);
  expect(generated.deserialize(ours.serialize(value))).toEqual(value);
  expect(ours.deserialize(generated.serialize(value))).toEqual(value);
}

describe('image codecs', () => {
  const upload = UploaderServiceService.upload;
  const ourUpload = withImageCodecs(UploaderServiceService).upload;

  it('write and read what the generated code writes and reads, requests and answers', () => {
    const request = { image: image('a b.png', 1200), outputFormat: 'raw' };
    roundTrips({ serialize: upload.requestSerialize, deserialize: upload.requestDeserialize }, { serialize: ourUpload.requestSerialize, deserialize: ourUpload.requestDeserialize }, request);
    const answer = { image: image('a.png', 900, 3), uploadId: 'id', computeMs: 12.5 };
    roundTrips({ serialize: upload.responseSerialize, deserialize: upload.responseDeserialize }, { serialize: ourUpload.responseSerialize, deserialize: ourUpload.responseDeserialize }, answer);
  });

  it('keep a request without an image and an image without bytes as they are', () => {
    const ours = { serialize: ourUpload.requestSerialize, deserialize: ourUpload.requestDeserialize };
    const generated = { serialize: upload.requestSerialize, deserialize: upload.requestDeserialize };
    roundTrips(generated, ours, { image: undefined, outputFormat: '' });
    roundTrips(generated, ours, { image: { ...image('e', 0), width: 0 }, outputFormat: '' });
  });

  it('read the image bytes as a view of the received message, without a copy', () => {
    const bytes = ourUpload.requestSerialize({ image: image('v', 64), outputFormat: '' });
    const decoded = ourUpload.requestDeserialize(bytes);
    expect(decoded.image!.data.buffer).toBe(bytes.buffer);
  });

  it('carry a pipeline result and its stream events, stage and result alike', () => {
    const process = OrchestratorServiceService.process;
    const ourProcess = withImageCodecs(OrchestratorServiceService).process;
    roundTrips({ serialize: process.responseSerialize, deserialize: process.responseDeserialize }, { serialize: ourProcess.responseSerialize, deserialize: ourProcess.responseDeserialize }, result);
    const stream = OrchestratorServiceService.processStream;
    const ourStream = withImageCodecs(OrchestratorServiceService).processStream;
    const generated = { serialize: stream.responseSerialize, deserialize: stream.responseDeserialize };
    const ours = { serialize: ourStream.responseSerialize, deserialize: ourStream.responseDeserialize };
    for (const event of [{ event: { $case: 'stageDone', value: span } }, { event: { $case: 'result', value: result } }] as ProcessEvent[]) {
      roundTrips(generated, ours, event);
    }
  });

  it('leave the classifier’s small answer to the generated code', () => {
    const classify = withImageCodecs(ClassifierServiceService).classify;
    expect(classify.responseSerialize).toBe(ClassifierServiceService.classify.responseSerialize);
    expect(classify.requestSerialize).not.toBe(ClassifierServiceService.classify.requestSerialize);
  });
});
