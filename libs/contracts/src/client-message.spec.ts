import { describe, expect, it } from 'vitest';
import { clientMessage } from './client-message';
import { PipelineError, PipelineErrorCode } from './errors';

const message = (code: PipelineErrorCode, text: string) => clientMessage(new PipelineError(code, text));

describe('clientMessage', () => {
  it('hides internal addresses and paths in failures on the service side, keeping what failed', () => {
    expect(message(PipelineErrorCode.STAGE_UNAVAILABLE, 'uploader at 10.0.0.5:50040: connect ECONNREFUSED 10.0.0.5:50040')).toBe(
      'uploader at <internal address>: connect ECONNREFUSED <internal address>',
    );
    expect(message(PipelineErrorCode.STAGE_UNAVAILABLE, 'classifier at dns:///classifier:50043 (http://[::1]:50063/v1/classify) is down')).toBe(
      'classifier at dns:///<internal address> (http://<internal address>/v1/classify) is down',
    );
    expect(message(PipelineErrorCode.MODEL_UNAVAILABLE, "u2netp.onnx not found in '/home/me/models/u2netp.onnx' or file:///opt/models/x")).toBe(
      "u2netp.onnx not found in '<internal path>' or <internal path>",
    );
    expect(message(PipelineErrorCode.INTERNAL, 'ENOENT: no such file or directory, open /tmp/image-pipeline/a.png')).toBe(
      'ENOENT: no such file or directory, open <internal path>',
    );
    expect(message(PipelineErrorCode.DEADLINE_EXCEEDED, 'background_removal deadline of 60000 ms passed while running')).toBe(
      'background_removal deadline of 60000 ms passed while running',
    );
  });

  it('leaves the message of a bad request as it is', () => {
    expect(message(PipelineErrorCode.INVALID_ARGUMENT, 'unexpected file in field "x": send /v1/upload a file')).toBe(
      'unexpected file in field "x": send /v1/upload a file',
    );
    expect(message(PipelineErrorCode.QUEUE_FULL, 'queue full (uploader at 10.0.0.5:50040)')).toBe('queue full (uploader at 10.0.0.5:50040)');
  });
});
