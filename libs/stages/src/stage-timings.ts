/** Where a stage runtime reports how long its work took: a service's metrics. */
export interface StageTimingObserver {
  /** A call's own compute time, as the stage reports it in `computeMs`. */
  stageComputed(stage: string, ms: number): void;
  /** One model inference's time. */
  modelInferred(model: string, ms: number): void;
}

/**
 * Passes a runtime's timings on to the observer its server attaches once it exists (the runtime,
 * and its model's loading, start first); nothing is reported before then.
 */
export class StageTimings {
  private observer?: StageTimingObserver;

  constructor(private readonly stage: string) {}

  observe(observer: StageTimingObserver): void {
    this.observer = observer;
  }

  modelInferred(model: string, ms: number): void {
    this.observer?.modelInferred(model, ms);
  }

  /** Reports a stage response's `computeMs` and answers the response. */
  reported<R extends { computeMs: number }>(response: R): R {
    this.observer?.stageComputed(this.stage, response.computeMs);
    return response;
  }
}
