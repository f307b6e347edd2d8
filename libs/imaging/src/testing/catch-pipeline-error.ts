import { PipelineError } from '@imagepipeline/contracts';

/**
 * Runs `action` (a promise, or a function that may throw or return one) and returns the
 * `PipelineError` it fails with; throws if it succeeds or fails with anything else.
 */
export async function catchPipelineError(action: Promise<unknown> | (() => unknown)): Promise<PipelineError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw new Error(`expected a PipelineError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a PipelineError, but it succeeded');
}
