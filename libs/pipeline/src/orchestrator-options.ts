import { DEFAULT_MAX_PIXELS, PipelineError, PipelineErrorCode, STAGE_NAMES, type StageName } from '@imagepipeline/contracts';

/** How one stage is driven by the orchestrator. */
export interface StageOptions {
  /** Calls to the stage in flight at once (its workers). */
  concurrency: number;
  /** Images that may wait for a worker; one more fails at once with QUEUE_FULL. */
  queueCapacity: number;
  /** Wait plus call time allowed per image, in milliseconds; then DEADLINE_EXCEEDED. */
  deadlineMs: number;
}

/** Orchestrator settings; anything left out takes its default (see `DEFAULT_STAGE_OPTIONS`). */
export interface OrchestratorOptions {
  /** Per-stage overrides, field by field. */
  stages?: { [S in StageName]?: Partial<StageOptions> };
  /** Images admitted at once (all stages together); one more fails at once with QUEUE_FULL. */
  maxInFlightImages?: number;
  /** Bytes of memory the images in flight may hold together; an image waits until its estimate fits. */
  memoryBudgetBytes?: number;
  /** The stages' pixel limit: no image is estimated larger. */
  maxPixels?: number;
}

/** Options with every default filled in, as the orchestrator uses them. */
export interface ResolvedOrchestratorOptions {
  stages: Record<StageName, StageOptions>;
  maxInFlightImages: number;
  memoryBudgetBytes: number;
  maxPixels: number;
}

/**
 * Defaults for two CPU cores. Background removal (U2-Net-p, ~0.3 s of CPU per image) is the
 * bottleneck and gets one worker: two would only share the same cores. Deadlines include queue
 * time and leave room for four 48 MP photos at once even in JSON+base64, the slowest encoding
 * (measured: an upload of one took up to 4.8 s there, a background removal 11 s).
 */
export const DEFAULT_STAGE_OPTIONS: Readonly<Record<StageName, Readonly<StageOptions>>> = Object.freeze({
  upload: Object.freeze({ concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 }),
  noise_reduction: Object.freeze({ concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 }),
  background_removal: Object.freeze({ concurrency: 1, queueCapacity: 64, deadlineMs: 120_000 }),
  classification: Object.freeze({ concurrency: 2, queueCapacity: 64, deadlineMs: 30_000 }),
});

/** Default admission bound: a burst beyond it is answered QUEUE_FULL at once. */
export const DEFAULT_MAX_IN_FLIGHT_IMAGES = 128;

/** 4 GiB: four 48 MP photos at once, or three with their intermediates. */
export const DEFAULT_MEMORY_BUDGET_BYTES = 4 * 1024 ** 3;

/**
 * Fills in defaults and checks every value; throws one INVALID_ARGUMENT PipelineError that lists
 * every bad option with what was expected and what arrived.
 */
export function resolveOrchestratorOptions(options: OrchestratorOptions = {}): ResolvedOrchestratorOptions {
  const problems: string[] = [];
  const given = options.stages ?? {};
  for (const key of Object.keys(given)) {
    if (!(STAGE_NAMES as readonly string[]).includes(key)) {
      problems.push(`stages.${key}: expected one of ${STAGE_NAMES.join(', ')}`);
    }
  }
  const stages = {} as Record<StageName, StageOptions>;
  for (const stage of STAGE_NAMES) {
    const resolved = { ...DEFAULT_STAGE_OPTIONS[stage], ...definedOnly(given[stage] ?? {}) };
    check(problems, `stages.${stage}.concurrency`, resolved.concurrency, 1, 'a positive integer');
    check(problems, `stages.${stage}.queueCapacity`, resolved.queueCapacity, 0, 'a non-negative integer');
    check(problems, `stages.${stage}.deadlineMs`, resolved.deadlineMs, 1, 'a positive integer');
    stages[stage] = resolved;
  }
  const maxInFlightImages = options.maxInFlightImages ?? DEFAULT_MAX_IN_FLIGHT_IMAGES;
  check(problems, 'maxInFlightImages', maxInFlightImages, 1, 'a positive integer');
  const memoryBudgetBytes = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
  check(problems, 'memoryBudgetBytes', memoryBudgetBytes, 1, 'a positive integer');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  check(problems, 'maxPixels', maxPixels, 1, 'a positive integer');
  if (problems.length > 0) {
    throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `invalid orchestrator options: ${problems.join('; ')}`);
  }
  return { stages, maxInFlightImages, memoryBudgetBytes, maxPixels };
}

function check(problems: string[], key: string, value: unknown, min: number, expected: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    problems.push(`${key}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
