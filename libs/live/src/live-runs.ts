import { randomUUID } from 'node:crypto';
import { finishRunReport, sendImage, type OrchestratorClient } from '@imagepipeline/client';
import { DEFAULT_MAX_IMAGE_BYTES, PipelineError, PipelineErrorCode, STAGE_NAMES, type StageName, type StageSpan } from '@imagepipeline/contracts';
import {
  buildLatencyRows,
  formatLatencyCsv,
  isImageFailure,
  seriesColour,
  stageTitle,
  type ImageOutcome,
  type RunTopology,
} from '@imagepipeline/reporting';
import { LanePool } from './lane-pool';
import type { LiveInfo, LiveProtocol, RunCreated } from './live-events';
import { LiveRun } from './live-run';
import { latencyCsvUrl, processedImageUrl } from './live-routes';

/** What a run sends its images through: one protocol, or both side by side. */
export type LiveMode = LiveProtocol | 'race';

export const LIVE_MODES: readonly LiveMode[] = ['grpc', 'rest', 'race'];

/** Protocols in the order the page shows them. */
const PROTOCOL_ORDER: readonly LiveProtocol[] = ['grpc', 'rest'];

/** One uploaded file. */
export interface LiveUpload {
  fileName: string;
  data: Buffer;
  /** The upload was cut at the byte limit: the file is larger than the limit, `data` is not all of it. */
  truncated?: boolean;
}

/** How much a server keeps of finished runs: the newest `maxRuns`, and processed PNGs of `maxBytes` in all. */
export interface LiveRetention {
  maxRuns: number;
  maxBytes: number;
}

export interface LiveRunsOptions {
  /** The orchestrator client of each protocol this server offers (at least one). */
  clients: Partial<Record<LiveProtocol, OrchestratorClient>>;
  /** Each orchestrator's address, as the latency report records it (default: the protocol's name). */
  orchestrators?: Partial<Record<LiveProtocol, string>>;
  /** Where the services run, as the latency report records it; default `local`. */
  topology?: RunTopology;
  /** Largest image sent, in bytes; a larger upload fails at once with IMAGE_TOO_LARGE. Default 50 MiB. */
  maxImageBytes?: number;
  /** Most images in one run; default 32. */
  maxImagesPerRun?: number;
  /** Images in flight per protocol, over every run together; default 4. */
  concurrency?: number;
  /** Predictions asked for per image; default 5. */
  topK?: number;
  retention?: Partial<LiveRetention>;
}

export const LIVE_DEFAULTS = {
  maxImagesPerRun: 32,
  concurrency: 4,
  topK: 5,
  retention: { maxRuns: 16, maxBytes: 256 * 1024 * 1024 } satisfies LiveRetention,
} as const;

/**
 * Live pipeline runs: each run sends its uploaded images through the orchestrator of each protocol
 * its mode names, and reports every step as a `LiveEvent` (`sent`, each `stage`, then `done` or
 * `failed` per image and protocol, then `finished` with a latency CSV per protocol, the CLI's
 * `latency.csv` format). A failure of any kind becomes that image's `failed` event, never a throw.
 * Results stay in memory for the newest runs only (count and bytes bounded); an evicted run is
 * unknown, as if it had never been.
 */
export class LiveRuns {
  readonly protocols: LiveProtocol[];
  readonly maxImageBytes: number;
  readonly maxImagesPerRun: number;
  private readonly pools: Partial<Record<LiveProtocol, LanePool>> = {};
  private readonly retention: LiveRetention;
  /** Oldest first (a Map keeps insertion order). */
  private readonly runs = new Map<string, LiveRun>();
  private keptBytes = 0;
  private closed = false;

  constructor(private readonly options: LiveRunsOptions) {
    this.protocols = PROTOCOL_ORDER.filter((protocol) => options.clients[protocol] !== undefined);
    if (this.protocols.length === 0) throw new RangeError('LiveRuns: expected an orchestrator client for grpc, rest or both, got none');
    this.maxImageBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    this.maxImagesPerRun = options.maxImagesPerRun ?? LIVE_DEFAULTS.maxImagesPerRun;
    this.retention = { ...LIVE_DEFAULTS.retention, ...options.retention };
    for (const protocol of this.protocols) this.pools[protocol] = new LanePool(options.concurrency ?? LIVE_DEFAULTS.concurrency);
  }

  /** What `GET /api/info` answers. */
  info(): LiveInfo {
    return {
      protocols: [...this.protocols],
      maxImageBytes: this.maxImageBytes,
      stages: STAGE_NAMES.map((name) => ({ name, title: stageTitle(name) })),
    };
  }

  /**
   * The protocols of a mode; throws INVALID_ARGUMENT for a mode that is not one of `LIVE_MODES` or
   * names a protocol this server has no orchestrator for. No mode: every protocol there is.
   */
  protocolsOf(mode: string | undefined): LiveProtocol[] {
    if (mode === undefined) return [...this.protocols];
    if (!(LIVE_MODES as readonly string[]).includes(mode)) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `mode: expected one of ${LIVE_MODES.join(', ')}, got "${mode}"`);
    }
    const wanted = mode === 'race' ? PROTOCOL_ORDER : [mode as LiveProtocol];
    const missing = wanted.filter((protocol) => !this.protocols.includes(protocol));
    if (missing.length > 0) {
      throw new PipelineError(
        PipelineErrorCode.INVALID_ARGUMENT,
        `mode "${mode}" needs an orchestrator over ${missing.join(' and ')}; this server has ${this.protocols.join(' and ')} only`,
      );
    }
    return [...wanted];
  }

  /**
   * Starts a run: answers at once, and the images go through each protocol of the mode in the
   * background. Throws INVALID_ARGUMENT for a bad mode, no image, or more than `maxImagesPerRun`.
   */
  create(mode: string | undefined, uploads: readonly LiveUpload[]): RunCreated {
    if (this.closed) throw new PipelineError(PipelineErrorCode.STAGE_UNAVAILABLE, 'the server is shutting down');
    const protocols = this.protocolsOf(mode);
    if (uploads.length === 0) throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, 'no image: send at least one file in field "image"');
    if (uploads.length > this.maxImagesPerRun) {
      throw new PipelineError(PipelineErrorCode.INVALID_ARGUMENT, `too many images: at most ${this.maxImagesPerRun} per run, got ${uploads.length}`);
    }
    const runId = randomUUID();
    const created: RunCreated = {
      runId,
      protocols,
      images: uploads.map((upload, index) => ({ imageId: `i${index + 1}`, fileName: upload.fileName, colour: seriesColour(index) })),
    };
    while (this.runs.size >= this.retention.maxRuns) this.evictOldest();
    const run = new LiveRun(created, Date.now());
    this.runs.set(runId, run);
    void this.send(run, [...uploads]);
    return created;
  }

  /** A run, unless unknown or evicted. */
  run(runId: string): LiveRun | undefined {
    return this.runs.get(runId);
  }

  /** No new runs; every follower is told its run ended; images not sent yet are not sent. Closes no client. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.runs.values()) run.end();
  }

  /** Every image through every protocol of the run, then `finished`. */
  private async send(run: LiveRun, uploads: (LiveUpload | undefined)[]): Promise<void> {
    // An image's bytes are dropped once every protocol has sent it.
    const sendsLeft = uploads.map(() => run.protocols.length);
    await Promise.all(
      run.protocols.map(async (protocol) => {
        const outcomes = await Promise.all(
          uploads.map(async (_, index) => {
            const outcome = await this.sendOne(run, protocol, index, uploads[index]!);
            if (--sendsLeft[index] === 0) uploads[index] = undefined;
            return outcome;
          }),
        );
        const report = finishRunReport({
          protocol,
          topology: this.options.topology ?? 'local',
          orchestrator: this.options.orchestrators?.[protocol] ?? protocol,
          startedAtMs: run.createdAtMs,
          images: outcomes,
        });
        run.keepLatencyCsv(protocol, formatLatencyCsv(buildLatencyRows(report)));
      }),
    );
    run.emit({
      type: 'finished',
      latencyCsvUrls: Object.fromEntries(run.protocols.map((protocol) => [protocol, latencyCsvUrl(run.runId, protocol)])),
    });
  }

  /** One image through one protocol: its events, its kept PNG, and its outcome for the latency report. */
  private async sendOne(run: LiveRun, protocol: LiveProtocol, index: number, upload: LiveUpload): Promise<ImageOutcome> {
    const { imageId, fileName } = run.images[index];
    const lane = { imageId, protocol };
    const refused = this.refusal(upload);
    if (refused) {
      const now = Date.now();
      run.emit({ type: 'failed', ...lane, code: refused.code, message: refused.message });
      return { fileName, error: { code: refused.code, message: refused.message }, sentAtMs: now, doneAtMs: now };
    }
    const outcome = await this.pools[protocol]!.run(async (): Promise<ImageOutcome> => {
      if (!run.open || this.closed) {
        const now = Date.now();
        return { fileName, error: { code: PipelineErrorCode.STAGE_UNAVAILABLE, message: 'not sent: the run ended first' }, sentAtMs: now, doneAtMs: now };
      }
      return sendImage(this.options.clients[protocol]!, fileName, () => upload.data, {
        topK: this.options.topK ?? LIVE_DEFAULTS.topK,
        includeIntermediates: false,
        onSent: () => run.emit({ type: 'sent', ...lane, atMs: run.sinceStart(Date.now()) }),
        onStageDone: (span) => {
          const stage = stageEvent(run, span);
          if (stage) run.emit({ type: 'stage', ...lane, ...stage });
        },
      });
    });
    if (isImageFailure(outcome)) {
      run.emit({ type: 'failed', ...lane, ...outcome.error });
      return outcome;
    }
    const { result } = outcome;
    if (result.processedImage) this.keep(run, imageId, protocol, result.processedImage.data);
    run.emit({
      type: 'done',
      ...lane,
      label: result.label,
      topK: result.topK.map(({ label, probability }) => ({ label, probability })),
      totalMs: outcome.doneAtMs - outcome.sentAtMs,
      processedUrl: processedImageUrl(run.runId, imageId, protocol),
    });
    // The latency report needs the times only: the images are not kept twice.
    return { ...outcome, result: { ...result, processedImage: undefined, uploadedImage: undefined, denoisedImage: undefined } };
  }

  /** Why an upload is not sent at all, if it is not. */
  private refusal(upload: LiveUpload): PipelineError | undefined {
    if (!upload.truncated && upload.data.length <= this.maxImageBytes) return undefined;
    return new PipelineError(
      PipelineErrorCode.IMAGE_TOO_LARGE,
      `${upload.fileName}: more than ${formatBytes(this.maxImageBytes)}, the largest image this server accepts`,
    );
  }

  /** Keeps a processed PNG, evicting the oldest other runs to stay within the byte bound; one that cannot fit is not kept. */
  private keep(run: LiveRun, imageId: string, protocol: LiveProtocol, png: Buffer): void {
    if (!run.open || png.length > this.retention.maxBytes) return;
    while (this.keptBytes + png.length > this.retention.maxBytes) {
      const oldest = [...this.runs.values()].find((other) => other !== run);
      if (!oldest) return;
      this.evict(oldest);
    }
    run.keep(imageId, protocol, png);
    this.keptBytes += png.length;
  }

  private evictOldest(): void {
    const oldest = this.runs.values().next().value;
    if (oldest) this.evict(oldest);
  }

  private evict(run: LiveRun): void {
    this.runs.delete(run.runId);
    this.keptBytes -= run.keptBytes;
    run.evict();
  }
}

/** A stage span as the page shows it: times since the run began; stages the page does not know are left out. */
function stageEvent(run: LiveRun, span: StageSpan) {
  if (!(STAGE_NAMES as readonly string[]).includes(span.stage)) return undefined;
  return {
    stage: span.stage as StageName,
    startMs: run.sinceStart(span.startedAtMs),
    endMs: run.sinceStart(span.endedAtMs),
    computeMs: span.computeMs,
    transportMs: span.observedMs - span.computeMs,
  };
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}
