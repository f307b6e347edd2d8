import { describe, expect, it } from 'vitest';
import { PipelineError } from '@imagepipeline/contracts';
import { sampleRunReport } from './testing';
import { assertValidRunReport } from './validate-run-report';

describe('assertValidRunReport', () => {
  it('accepts a well-formed report and refuses a non-object', async () => {
    expect(() => assertValidRunReport(null)).toThrow(PipelineError);
    const report = await sampleRunReport();
    expect(() => assertValidRunReport(report)).not.toThrow();
  });

  it('names every bad field with what was expected and what arrived', () => {
    const bad = {
      protocol: 'http',
      topology: 'local',
      orchestrator: 'x',
      startedAtMs: 0,
      finishedAtMs: Number.NaN,
      images: [
        { fileName: 'a.png', sentAtMs: 0, doneAtMs: 1, error: { code: 'X' } },
        { fileName: 'b.png', sentAtMs: 0, doneAtMs: 1, result: { label: 'l', topK: [], totalMs: 1, timeline: [{ stage: 'upload' }], processedImage: { data: [1, 2] } } },
      ],
    };
    expect(() => assertValidRunReport(bad)).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /report\.protocol: expected one of grpc, rest, got "http".*report\.finishedAtMs: expected a finite number, got NaN.*report\.images\[0\]\.error\.message: expected a string, got undefined.*report\.images\[1\]\.result\.timeline\[0\]\.enqueuedAtMs.*report\.images\[1\]\.result\.processedImage\.data: expected a Buffer, got an array/,
        ),
      }),
    );
  });
});
