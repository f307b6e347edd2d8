import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineErrorCode } from '@imagepipeline/contracts';
import { MOBILENETV2_INT8_MODEL, openModelSession, resolveModel, U2NETP_MODEL } from './index';
import { testModelOptions } from './testing/index';

describe('openModelSession', () => {
  let root: string;
  let mobilenetFile: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'models-session-'));
    mobilenetFile = (await resolveModel(MOBILENETV2_INT8_MODEL, testModelOptions())).path;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('shares one session per file and options, and releases it with its last handle', async () => {
    const a = await openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: 1 });
    const b = await openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: 1 });
    const other = await openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: 2 });
    expect(b.session).toBe(a.session);
    expect(other.session).not.toBe(a.session);
    expect(a.session.inputNames).toEqual([MOBILENETV2_INT8_MODEL.input.name]);

    await a.release();
    await a.release();
    const c = await openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: 1 });
    expect(c.session).toBe(b.session);

    await b.release();
    await c.release();
    const fresh = await openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: 1 });
    expect(fresh.session).not.toBe(a.session);
    await Promise.all([fresh.release(), other.release()]);
  });

  it.each([-1, 1.5, Number.NaN])('refuses intraOpNumThreads = %s with INVALID_ARGUMENT', async (threads) => {
    await expect(
      openModelSession(MOBILENETV2_INT8_MODEL, mobilenetFile, { intraOpNumThreads: threads }),
    ).rejects.toMatchObject({ code: PipelineErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('intraOp') });
  });

  it('reports a file onnxruntime cannot read as MODEL_UNAVAILABLE', async () => {
    const path = join(root, 'broken.onnx');
    await writeFile(path, 'not an onnx model');
    await expect(openModelSession(MOBILENETV2_INT8_MODEL, path)).rejects.toMatchObject({
      code: PipelineErrorCode.MODEL_UNAVAILABLE,
      message: expect.stringContaining(path),
    });
  });

  it('reports a model whose tensor names do not match the catalog as MODEL_UNAVAILABLE', async () => {
    await expect(openModelSession(U2NETP_MODEL, mobilenetFile, { intraOpNumThreads: 1 })).rejects.toMatchObject({
      code: PipelineErrorCode.MODEL_UNAVAILABLE,
      message: expect.stringContaining("expected input 'input.1'"),
    });
  });
});
