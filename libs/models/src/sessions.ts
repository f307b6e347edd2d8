import { InferenceSession, Tensor } from 'onnxruntime-node';
import { PipelineError, PipelineErrorCode } from '@imagepipeline/contracts';
import type { ModelCatalogEntry } from './catalog';

/** onnxruntime threading. Unset or 0 lets onnxruntime choose (one thread per physical core). */
export interface ModelSessionOptions {
  /** Threads used inside one operator. */
  intraOpNumThreads?: number;
  /** Threads used to run independent operators in parallel. */
  interOpNumThreads?: number;
}

/** A shared, warmed-up onnxruntime session. Call `release()` once when done with it. */
export interface ModelSession {
  readonly entry: ModelCatalogEntry;
  readonly path: string;
  readonly session: InferenceSession;
  /** Drops this handle; the session is released when its last handle is. Safe to call twice. */
  release(): Promise<void>;
}

interface SharedSession {
  session: Promise<InferenceSession>;
  handles: number;
}

// One session per model file and threading options per process, shared by reference count.
const sessions = new Map<string, SharedSession>();

/**
 * Opens (or joins) the process-wide session for the model file at `path`, checks that its input and
 * output names match the catalog, and warms it up with one inference on zeros.
 *
 * @throws PipelineError `INVALID_ARGUMENT` for bad thread counts, `MODEL_UNAVAILABLE` when the file does not load.
 */
export async function openModelSession(
  entry: ModelCatalogEntry,
  path: string,
  options: ModelSessionOptions = {},
): Promise<ModelSession> {
  const intra = threadCount('intraOpNumThreads', options.intraOpNumThreads);
  const inter = threadCount('interOpNumThreads', options.interOpNumThreads);
  const key = `${path}\0${intra}\0${inter}`;

  let shared = sessions.get(key);
  if (!shared) {
    shared = { session: createSession(entry, path, intra, inter), handles: 0 };
    sessions.set(key, shared);
  }
  shared.handles += 1;
  const current = shared;

  let session: InferenceSession;
  try {
    session = await current.session;
  } catch (error) {
    if (sessions.get(key) === current) sessions.delete(key);
    throw error;
  }

  let released = false;
  return {
    entry,
    path,
    session,
    async release() {
      if (released) return;
      released = true;
      current.handles -= 1;
      if (current.handles > 0) return;
      if (sessions.get(key) === current) sessions.delete(key);
      await session.release();
    },
  };
}

async function createSession(
  entry: ModelCatalogEntry,
  path: string,
  intraOpNumThreads: number,
  interOpNumThreads: number,
): Promise<InferenceSession> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(path, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads,
      interOpNumThreads,
    });
  } catch (error) {
    throw new PipelineError(
      PipelineErrorCode.MODEL_UNAVAILABLE,
      `onnxruntime could not load ${entry.fileName} from ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    if (!session.inputNames.includes(entry.input.name) || !session.outputNames.includes(entry.output.name)) {
      throw new Error(
        `expected input '${entry.input.name}' and output '${entry.output.name}', ` +
          `found inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`,
      );
    }
    const shape = entry.input.shape.map((dim) => (dim === 'N' ? 1 : dim));
    const zeros = new Float32Array(shape.reduce((product, dim) => product * dim, 1));
    await session.run({ [entry.input.name]: new Tensor('float32', zeros, shape) }, [entry.output.name]);
    return session;
  } catch (error) {
    await session.release().catch(() => undefined);
    throw new PipelineError(
      PipelineErrorCode.MODEL_UNAVAILABLE,
      `${entry.fileName} at ${path} failed its warm-up inference: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

function threadCount(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > 1024) {
    throw new PipelineError(
      PipelineErrorCode.INVALID_ARGUMENT,
      `${name} must be an integer from 0 to 1024, got ${String(value)}`,
    );
  }
  return value;
}
