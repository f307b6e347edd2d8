import type { LiveEvent, LiveProtocol, RunCreated } from './live-events';

/** Someone following a run: every event with its position in the run's history, then the end. */
export interface LiveWatcher {
  /** `id` counts from 0 in the order the run emitted its events (an SSE event id). */
  event(event: LiveEvent, id: number): void;
  /** No more events: the run finished, was evicted, or the server is stopping. */
  end(): void;
}

type RunState = 'running' | 'finished' | 'ended';

/**
 * One run's history, followers and kept results. The history is kept whole, so a follower that
 * comes late (or comes back) is given everything it missed first.
 */
export class LiveRun {
  readonly runId: string;
  /** Epoch ms: event times are milliseconds since this. */
  readonly createdAtMs: number;
  readonly protocols: LiveProtocol[];
  readonly images: RunCreated['images'];
  private state: RunState = 'running';
  private readonly history: LiveEvent[] = [];
  private readonly watchers = new Set<LiveWatcher>();
  private readonly processed = new Map<string, Buffer>();
  private readonly csv = new Map<LiveProtocol, string>();
  private bytes = 0;

  constructor(created: RunCreated, createdAtMs: number) {
    this.runId = created.runId;
    this.protocols = created.protocols;
    this.images = created.images;
    this.createdAtMs = createdAtMs;
  }

  /** True once `finished` was emitted (or the run was evicted, or the server is stopping). */
  get done(): boolean {
    return this.state !== 'running';
  }

  /** True while events are still recorded and results kept. */
  get open(): boolean {
    return this.state === 'running';
  }

  get eventCount(): number {
    return this.history.length;
  }

  /** Bytes of processed PNGs this run keeps. */
  get keptBytes(): number {
    return this.bytes;
  }

  /** Milliseconds since the run was created, for an epoch-ms time. */
  sinceStart(epochMs: number): number {
    return epochMs - this.createdAtMs;
  }

  /**
   * Gives `watcher` every event after `afterId` (all of them by default) at once, then each new one
   * as it happens; `end()` when the run is done (at once if it already is). Answers how to stop
   * watching.
   */
  watch(watcher: LiveWatcher, afterId = -1): () => void {
    for (let id = Math.max(0, afterId + 1); id < this.history.length; id++) watcher.event(this.history[id], id);
    if (this.done) {
      watcher.end();
      return () => undefined;
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** The processed RGBA PNG of one image through one protocol, while kept. */
  processedImage(imageId: string, protocol: LiveProtocol): Buffer | undefined {
    return this.processed.get(key(imageId, protocol));
  }

  /** The latency CSV of one protocol, once every image of the run went through it. */
  latencyCsv(protocol: LiveProtocol): string | undefined {
    return this.csv.get(protocol);
  }

  emit(event: LiveEvent): void {
    if (!this.open) return;
    const id = this.history.push(event) - 1;
    for (const watcher of this.watchers) watcher.event(event, id);
    if (event.type === 'finished') this.end('finished');
  }

  keep(imageId: string, protocol: LiveProtocol, png: Buffer): void {
    this.processed.set(key(imageId, protocol), png);
    this.bytes += png.length;
  }

  keepLatencyCsv(protocol: LiveProtocol, csv: string): void {
    if (this.open) this.csv.set(protocol, csv);
  }

  /** Drops the kept results too (evicted); followers are told the run ended. */
  evict(): void {
    this.processed.clear();
    this.csv.clear();
    this.bytes = 0;
    this.end('ended');
  }

  /** Followers are told the run ended; nothing more is recorded. */
  end(state: Exclude<RunState, 'running'> = 'ended'): void {
    if (this.state === 'running') this.state = state;
    const watchers = [...this.watchers];
    this.watchers.clear();
    for (const watcher of watchers) watcher.end();
  }
}

function key(imageId: string, protocol: LiveProtocol): string {
  return `${imageId}/${protocol}`;
}
