import type { OrchestratorClient, ProcessOptions } from '@imagepipeline/client';
import { PipelineError, PipelineErrorCode, ProcessResult, STAGE_NAMES, type Image, type StageSpan } from '@imagepipeline/contracts';

/** What a fake orchestrator does with an image: answer, or throw this. */
export type FakeAnswer = 'ok' | Error;

/**
 * An in-memory orchestrator client: each image takes `delayMs`, reports the four stages (each queued 1 ms,
 * then 2 ms, 1.5 ms of it compute) as it goes, and answers `espresso` with a small "PNG" (`png:<file name>`),
 * unless `answer` says otherwise. Counts what it was sent and how many at once.
 */
export class FakeOrchestrator implements OrchestratorClient {
  inFlight = 0;
  maxInFlight = 0;
  readonly received: string[] = [];
  readonly spans = new Map<string, StageSpan[]>();
  closed = false;

  constructor(
    private readonly answer: (image: Image) => FakeAnswer = () => 'ok',
    private readonly delayMs = 5,
  ) {}

  async process(image: Image, options: ProcessOptions): Promise<ProcessResult> {
    this.received.push(image.fileName);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const receivedAtMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const answer = this.answer(image);
      if (answer !== 'ok') throw answer;
      const spans = STAGE_NAMES.map((stage, i) => ({
        stage,
        enqueuedAtMs: receivedAtMs + 3 * i,
        startedAtMs: receivedAtMs + 3 * i + 1,
        endedAtMs: receivedAtMs + 3 * i + 3,
        observedMs: 2,
        computeMs: 1.5,
      }));
      this.spans.set(image.fileName, spans);
      for (const span of spans) options.onStageDone?.(span);
      return ProcessResult.fromPartial({
        fileName: image.fileName,
        processedImage: { data: Buffer.from(`png:${image.fileName}`), format: 'png', width: 1, height: 1, channels: 0, fileName: image.fileName },
        label: 'espresso',
        topK: [
          { label: 'espresso', classIndex: 967, probability: 0.9 },
          { label: 'cup', classIndex: 968, probability: 0.05 },
        ].slice(0, options.topK),
        timeline: spans,
        receivedAtMs,
        totalMs: 9,
      });
    } finally {
      this.inFlight -= 1;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An image whose bytes say `bad` is not one; `full` finds the queue full. */
export function typicalAnswers(image: Image): FakeAnswer {
  const text = image.data.toString();
  if (text === 'bad') return new PipelineError(PipelineErrorCode.IMAGE_UNREADABLE, 'not an image');
  if (text === 'full') return new PipelineError(PipelineErrorCode.QUEUE_FULL, 'queue full: retry after 1 s');
  if (text === 'boom') return new Error('socket hang up');
  return 'ok';
}
